import { describe, expect, it } from 'vitest';
import { roleOf } from './auth';

const tokens = { readWrite: ['rw-one-0123456789abcdef', 'rw-two-0123456789abcdef'], readOnly: ['ro-one-0123456789abcdef'] };

describe('roleOf', () => {
  it('maps each configured token to its kind', () => {
    expect(roleOf('Bearer rw-one-0123456789abcdef', tokens)).toBe('read-write');
    expect(roleOf('Bearer rw-two-0123456789abcdef', tokens)).toBe('read-write');
    expect(roleOf('Bearer ro-one-0123456789abcdef', tokens)).toBe('read-only');
    expect(roleOf('bearer ro-one-0123456789abcdef', tokens)).toBe('read-only');
  });

  it('grants nothing to a wrong, truncated, extended or missing token, or another scheme', () => {
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      'Bearer rw-one-0123456789abcde',
      'Bearer rw-one-0123456789abcdefX',
      'Bearer RW-ONE-0123456789ABCDEF',
      'Basic cnctb25lLTAxMjM0NTY3ODlhYmNkZWY=',
      'rw-one-0123456789abcdef',
      'Bearer rw-one-0123456789abcdef ro-one-0123456789abcdef',
    ]) {
      expect(roleOf(header, tokens), String(header)).toBeNull();
    }
  });

  it('treats everyone as read-write only when no token at all is configured', () => {
    expect(roleOf(undefined, { readWrite: [], readOnly: [] })).toBe('read-write');
    expect(roleOf(undefined, { readWrite: [], readOnly: ['ro-one-0123456789abcdef'] })).toBeNull();
  });
});
