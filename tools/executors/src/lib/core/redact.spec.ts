import { describe, expect, it } from 'vitest';
import { redact, redactUrl, secretsOfUrl } from './redact';

describe('redact', () => {
  it.each([
    ['https://user:secret@mirror.example/simple', 'https://***@mirror.example/simple'],
    ['http://token@127.0.0.1:8080/simple/', 'http://***@127.0.0.1:8080/simple/'],
    ['pip install --index-url https://u:p%40ss@h/s pkg', 'pip install --index-url https://***@h/s pkg'],
    ['no credentials: https://pypi.org/simple', 'no credentials: https://pypi.org/simple'],
    ['user@host is not a URL', 'user@host is not a URL'],
  ])('redactUrl(%j)', (text, expected) => {
    expect(redactUrl(text)).toBe(expected);
  });

  it('hides listed secrets and their URL-encoded form anywhere in text', () => {
    expect(redact('pass p@ss/word and p%40ss%2Fword', ['p@ss/word'])).toBe('pass *** and ***');
  });

  it('finds the secrets of a URL, raw and decoded', () => {
    expect(secretsOfUrl('https://user:p%40ss@h/s')).toEqual(['p%40ss', 'p@ss', 'user:p%40ss']);
    expect(secretsOfUrl('https://h/s')).toEqual([]);
    expect(secretsOfUrl(undefined)).toEqual([]);
    expect(secretsOfUrl('not a url')).toEqual([]);
  });
});
