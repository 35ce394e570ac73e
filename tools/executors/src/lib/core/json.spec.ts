import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BuildError } from './errors';
import { dumpJsonLikePython, parseJson, pythonFloatRepr } from './json';

const pythonDump = (text: string) =>
  execFileSync('python3', ['-c', 'import json,sys; sys.stdout.write(json.dumps(json.loads(sys.stdin.read()), sort_keys=True, indent=4) + "\\n")'], {
    input: text,
  }).toString();

describe('dumpJsonLikePython', () => {
  it.each([
    ['nested objects and arrays', '{"b": {"z": [1, 2, {"y": null}], "a": {}}, "a": [], "c": [[]]}'],
    ['non-ASCII, astral and control characters', '{"name": "Kīlauea ☃ 😀", "tab": "a\\tb\\u0001\\u007f", "quote": "say \\"hi\\" \\\\ /"}'],
    ['integers of any size', '{"n": [0, -0, 7, -12, 123456789012345678901234567890]}'],
    ['floats as Python repr', '{"f": [1.0, 1.50, 1e5, 1E+2, 0.0001, 0.00001, 1.5e300, -0.0, 3.14159, 1e16, 123456789.123, 2.5e-7]}'],
    ['booleans and keys that sort by code point', '{"b": true, "B": false, "é": 1, "z": 2, "_": 3, "__proto__": 4}'],
    ['an empty top-level array', '[]'],
  ])('matches Python for %s', (_name, text) => {
    expect(dumpJsonLikePython(parseJson(text, 'x.json'))).toBe(pythonDump(text));
  });
});

describe('pythonFloatRepr', () => {
  it.each([
    [1, '1.0'],
    [100000, '100000.0'],
    [1e16, '1e+16'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [-2.5, '-2.5'],
    [1.5e300, '1.5e+300'],
  ])('%d → %s', (value, repr) => expect(pythonFloatRepr(value)).toBe(repr));
});

describe('parseJson errors', () => {
  it.each([
    ['{\n  "a": 1,\n  "b": 2,\n}', 'x.json:4:1: invalid JSON: expected a property name in double quotes, found "}"'],
    ['{\n  "a": 1\n  "b": 2\n}', 'x.json:3:3: invalid JSON: expected "," or "}" after a property, found "\\""'],
    ['{"a": [1, 2}', 'x.json:1:12: invalid JSON: expected "," or "]" after an array item, found "}"'],
    ['{"a": tru}', 'x.json:1:7: invalid JSON: unexpected "t"'],
    ['{"a": "x', 'x.json:1:7: invalid JSON: unterminated string'],
    ['{} {}', 'x.json:1:4: invalid JSON: unexpected "{" after the JSON value'],
    ['', 'x.json:1:1: invalid JSON: unexpected end of file'],
  ])('%j → %s', (text, message) => {
    expect(() => parseJson(text, 'x.json')).toThrow(BuildError);
    expect(() => parseJson(text, 'x.json')).toThrow(message);
  });
});
