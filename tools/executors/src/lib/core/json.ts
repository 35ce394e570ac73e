// JSON read with positions (errors say file:line:column) and written exactly as
// Python's json.dumps(obj, sort_keys=True, indent=4) (ensure_ascii) writes it,
// which is what make's json-inject produced. Numbers keep Python's semantics:
// integers verbatim, floats as Python's repr.
import { BuildError } from './errors';

/** A JSON number as written in the source, so integers of any size survive. */
export class JsonNumber {
  constructor(readonly raw: string) {}
  get isInteger(): boolean {
    return !/[.eE]/.test(this.raw);
  }
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | { [key: string]: JsonValue };

export function parseJson(text: string, file: string): JsonValue {
  let pos = 0;
  const fail = (reason: string, at = pos): never => {
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    throw new BuildError(`${file}:${line}:${column}: invalid JSON: ${reason}`);
  };
  const describe = (at: number) => (at >= text.length ? 'end of file' : JSON.stringify(text[at]));
  const skipSpace = () => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos])) pos++;
  };
  const expect = (char: string) => {
    if (text[pos] !== char) fail(`expected ${JSON.stringify(char)}, found ${describe(pos)}`);
    pos++;
  };
  const parseString = (): string => {
    const start = pos;
    expect('"');
    let out = '';
    for (;;) {
      if (pos >= text.length) fail('unterminated string', start);
      const char = text[pos++];
      if (char === '"') return out;
      if (char < ' ') fail('control character in string', pos - 1);
      if (char !== '\\') {
        out += char;
        continue;
      }
      const escape = text[pos++];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (escape in simple) out += simple[escape];
      else if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(pos, pos + 4))) {
        out += String.fromCharCode(parseInt(text.slice(pos, pos + 4), 16));
        pos += 4;
      } else fail(`invalid escape \\${escape ?? ''}`, pos - 2);
    }
  };
  const parseValue = (): JsonValue => {
    skipSpace();
    const char = text[pos];
    if (char === '{') {
      pos++;
      const object: { [key: string]: JsonValue } = Object.create(null);
      skipSpace();
      if (text[pos] === '}') return pos++, object;
      for (;;) {
        skipSpace();
        if (text[pos] !== '"') fail(`expected a property name in double quotes, found ${describe(pos)}`);
        const key = parseString();
        skipSpace();
        expect(':');
        object[key] = parseValue();
        skipSpace();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') return pos++, object;
        fail(`expected "," or "}" after a property, found ${describe(pos)}`);
      }
    }
    if (char === '[') {
      pos++;
      const array: JsonValue[] = [];
      skipSpace();
      if (text[pos] === ']') return pos++, array;
      for (;;) {
        array.push(parseValue());
        skipSpace();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') return pos++, array;
        fail(`expected "," or "]" after an array item, found ${describe(pos)}`);
      }
    }
    if (char === '"') return parseString();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, pos)) return (pos += word.length), value;
    }
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(pos));
    if (number) return (pos += number[0].length), new JsonNumber(number[0]);
    return fail(`unexpected ${describe(pos)}`);
  };
  const value = parseValue();
  skipSpace();
  if (pos < text.length) fail(`unexpected ${describe(pos)} after the JSON value`);
  return value;
}

/** Python's repr() of a float given as a JS number. */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (exponent < -4 || exponent >= 16) {
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${body}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction || '0'}`;
}

function pythonString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const char = value[i];
    const code = value.charCodeAt(i);
    const named: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };
    if (char in named) out += named[char];
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

// Python sorts keys by code point; JS's default sort compares UTF-16 units.
const byCodePoint = (a: string, b: string) => {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
};

function numberText(value: JsonNumber): string {
  if (value.isInteger) return BigInt(value.raw).toString();
  return pythonFloatRepr(Number(value.raw));
}

/** json.dumps(value, sort_keys=True, indent=4) + "\n", byte for byte. */
export function dumpJsonLikePython(value: JsonValue): string {
  const write = (node: JsonValue, indent: string): string => {
    if (node === null) return 'null';
    if (node === true) return 'true';
    if (node === false) return 'false';
    if (typeof node === 'string') return pythonString(node);
    if (node instanceof JsonNumber) return numberText(node);
    const inner = `${indent}    `;
    if (Array.isArray(node)) {
      if (node.length === 0) return '[]';
      return `[\n${node.map((item) => inner + write(item, inner)).join(',\n')}\n${indent}]`;
    }
    const keys = Object.keys(node).sort(byCodePoint);
    if (keys.length === 0) return '{}';
    return `{\n${keys.map((key) => `${inner}${pythonString(key)}: ${write(node[key], inner)}`).join(',\n')}\n${indent}}`;
  };
  return `${write(value, '')}\n`;
}
