import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { javaPattern } from './java-regex';
import { tempDir } from '../../testing/temp-dir';

// lava's real Version pattern: a quantified anchor that JavaScript cannot compile as written.
const LAVA_VERSION = '^?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)$';

const matches = (pattern: string, value: string) => {
  const translated = javaPattern(pattern);
  if (!('regex' in translated)) throw new Error(`unsupported: ${translated.unsupported}`);
  return translated.regex.test(value);
};

describe('javaPattern', () => {
  it('checks the real lava Version pattern as a whole-value match', () => {
    expect(() => new RegExp(LAVA_VERSION)).toThrow(/Nothing to repeat/);
    expect(matches(LAVA_VERSION, '8.2.0')).toBe(true);
    expect(matches(LAVA_VERSION, '10.0.12')).toBe(true);
    for (const bad of ['8.2.0rc1', '08.2.0', 'v8.2.0', '8.2', '8.2.0.1', '']) expect(matches(LAVA_VERSION, bad), bad).toBe(false);
  });

  it('emulates possessive quantifiers and atomic groups exactly, with groups of its own', () => {
    expect(matches('\\d++\\.\\d+', '12.3')).toBe(true);
    expect(matches('a*+a', 'aaa')).toBe(false);
    expect(matches('(?>a|ab)c', 'abc')).toBe(false);
    expect(javaPattern('(a)b++')).toEqual({ regex: /^(?:(a)(?:(?=(b+))\2))$/u });
  });

  it('matches the whole value, as CloudFormation does', () => {
    expect(matches('[a-z]([a-z0-9_]){2,10}', 'lava')).toBe(true);
    expect(matches('[a-z]([a-z0-9_]){2,10}', 'lava-prod')).toBe(false);
    expect(matches('\\d+', 'x12')).toBe(false);
  });

  it.each([
    ['(a|b)\\1', 'back reference "\\1"'],
    ['(?<y>a)\\k<y>', 'back reference "\\k"'],
    ['(?i)lava', 'inline flags "(?i)"'],
    ['[a[bc]]', 'nested character class (union)'],
    ['[a-z&&x]', 'character class intersection "&&"'],
    ['\\bword', 'word boundary \\b'],
    ['\\p{javaLowerCase}', 'character property "\\p{javaLowerCase}"'],
    ['a{', '"{" that is not a repetition'],
    ['*a', 'nothing to repeat'],
    ['(a', 'unclosed "("'],
    ['\\x{110000}', 'beyond Unicode'],
  ])('names what it cannot check: %s', (pattern, reason) => {
    const translated = javaPattern(pattern);
    expect(translated).toHaveProperty('unsupported');
    expect((translated as { unsupported: string }).unsupported).toContain(reason);
  });
});

// The same patterns and values through java.util.regex itself, where a JDK is installed.
const JAVA = (() => {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const CASES: Array<[string, string[]]> = [
  [LAVA_VERSION, ['8.2.0', '0.0.0', '01.2.3', 'x8.2.0', '8.2.0\n', '8.2.0\r\n', '8.2.0\n\n']],
  ['^\\d+\\.\\d+\\.\\d+$', ['1.2.3', '1.2.3\n', '1.2', '१.२.३']],
  ['[a-z]([-a-z0-9_]){2,10}', ['lava', 'l-a_v', 'la', 'lava-prod-12345', 'Lava']],
  ['a.c', ['abc', 'a\nc', 'a\u0085c', 'a\u2028c', 'a c']],
  ['\\s+', [' \t', '\u00a0', '\u2003', '\u000b']],
  ['\\S+', ['abc', 'a b', '\u00a0']],
  ['[\\s,]+', [' , ', '\u00a0']],
  ['\\p{Lower}+\\P{Digit}', ['abc!', 'abc1', 'é!']],
  ['[\\p{Alnum}_-]+', ['ab_-9', 'ab.9']],
  ['\\pL\\p{Lu}\\p{IsNd}', ['aB1', 'éÉ٣', 'ab1']],
  ['\\Aab\\z', ['ab', 'ab\n']],
  ['ab\\Z', ['ab', 'ab\n', 'ab\r\n', 'ab\n\n']],
  ['\\Qa.b*\\E+', ['a.b*', 'a.b**', 'axbb']],
  ['[\\Q]-\\E]+', [']-', '-]]', 'x']],
  ['(?<year>\\d{4})-(\\d{2})', ['2024-12', '2024-1']],
  ['a*+a', ['aaa', 'a', '']],
  ['a*+b', ['aab', 'b', 'aa']],
  ['(?>a|ab)c', ['abc', 'ac']],
  ['(?>a|ab)*c', ['aac', 'abc', 'c']],
  ['[ab]{2,3}+b', ['abab', 'aab', 'aaab']],
  ['(a+)++b', ['aaab', 'b']],
  ['(x|y)?+z(?>q?)+', ['xzq', 'z', 'yzqq']],
  ['\\Qab\\E*c', ['abbc', 'ac', 'ababc']],
  ['\\Qa.\\E++\\.', ['a..', 'a.']],
  ['(?=.*\\d)(?!.*x)\\w+', ['abc1', 'abc', 'ab1x']],
  ['(?<=a)?b', ['b']],
  ['$?a', ['a']],
  ['\\x41\\x{1F600}\\u0042\\0101\\t', ['A😀BA\t', 'A😀BA ']],
  ['\\cA\\e\\a', ['\u0001\u001b\u0007']],
  ['[a-c-e]+', ['ab-e', 'd']],
  ['[\\d-z]+', ['1-z', 'y']],
  ['[^\\]a]', [']', 'a', 'b']],
  ['a}b]', ['a}b]']],
  ['x{2,3}?y{2}z{1,}', ['xxyyz', 'xyyz']],
  ['\\h\\v\\R', [' \n\r\n', '\t\u000b\n', 'a\nb']],
  ['[\\h]+[\\v]', ['\u3000 \u2028']],
  ['\\-\\_\\%\\#', ['-_%#']],
  ['😀+', ['😀😀', '\ud83d']],
];

/** java.util.regex.Pattern.matches for each [pattern, value]: "true", "false", or "ERR" when Java rejects the pattern. */
function javaMatches(pairs: ReadonlyArray<readonly [string, string]>): string[] {
  const dir = tempDir('java-regex-spec-');
  const source = join(dir, 'Matches.java');
  writeFileSync(
    source,
    `import java.util.*; import java.util.regex.*; import java.nio.charset.StandardCharsets;
public class Matches { public static void main(String[] a) throws Exception {
  Scanner in = new Scanner(System.in, "UTF-8"); Base64.Decoder d = Base64.getDecoder();
  while (in.hasNextLine()) { String[] f = in.nextLine().split(" ", -1);
    String p = new String(d.decode(f[0]), StandardCharsets.UTF_8), v = new String(d.decode(f[1]), StandardCharsets.UTF_8);
    try { System.out.println(Pattern.matches(p, v)); } catch (PatternSyntaxException e) { System.out.println("ERR"); } } } }`,
  );
  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  const input = pairs.map(([p, v]) => `${b64(p)} ${b64(v)}`).join('\n');
  return execFileSync('java', [source], { input, maxBuffer: 1 << 26 }).toString().trim().split('\n');
}

describe.skipIf(!JAVA)('javaPattern agrees with java.util.regex.Pattern.matches', () => {
  it('on every case', () => {
    const pairs = CASES.flatMap(([pattern, values]) => values.map((value) => [pattern, value] as const));
    const java = javaMatches(pairs);
    const js = pairs.map(([p, v]) => String(matches(p, v)));
    const label = pairs.map(([p, v]) => `${p} ~ ${JSON.stringify(v)}`);
    expect(Object.fromEntries(label.map((l, i) => [l, js[i]]))).toEqual(Object.fromEntries(label.map((l, i) => [l, java[i]])));
  });

  it('on a thousand patterns made of random Java constructs: never a crash, and every translation matches as Java does', () => {
    const pieces = ['a', 'b', '.', '\\d', '\\s', '\\S', '[ab]', '[^a]', '[a-c]', '\\w', '^', '$', '\\A', '\\z', '\\Z', '\\Qa.\\E', '\\p{Lower}', '\\-', '-', ']', '}', ' ', '\\.', '[\\s.]', '\\x41', '(', ')', '(?:', '(?=', '(?!', '(?<=a)', '(?>', '|', '*', '+', '?', '{2}', '{1,2}', '*+', '++', '?+', '*?', '{', '[', '\\', '\\b', '(?i)', '\\1', 'é', '😀'];
    const values = ['', 'a', 'b', 'ab', 'aab', 'a.', ' ', 'A', 'a\n', '-', ']', '}', 'abab', 'é', '😀', 'c'];
    let seed = 12345;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    const patterns = Array.from({ length: 1000 }, () => Array.from({ length: 1 + random(6) }, () => pieces[random(pieces.length)]).join(''));
    const translated = patterns.filter((p) => 'regex' in javaPattern(p));
    expect(translated.length).toBeGreaterThan(300);
    const pairs = translated.flatMap((p) => values.map((v) => [p, v] as const));
    const java = javaMatches(pairs);
    const differ = pairs.flatMap(([p, v], i) => (java[i] === String(matches(p, v)) ? [] : [`${p} ~ ${JSON.stringify(v)}: java ${java[i]}`]));
    expect(differ).toEqual([]);
  });
});
