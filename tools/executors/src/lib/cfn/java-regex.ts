// CloudFormation's AllowedPattern is a java.util.regex pattern that must match
// the whole value (Java's Pattern.matches). JavaScript's RegExp differs: it
// rejects a quantified anchor (`^?`, legal in Java and present in lava's real
// templates), and `.`, `\s`, `$`, `\p{Lower}` mean other things. This module
// translates the constructs whose Java meaning JavaScript can express exactly,
// and names the first construct it cannot, so the caller can skip a check
// rather than run a wrong one or crash.

/** A translated pattern that full-matches as Java's Pattern.matches would, or why there is none. */
export type JavaPattern = { regex: RegExp } | { unsupported: string };

// Java's line terminators (UNIX_LINES off) and the classes whose Java meaning
// differs from JavaScript's (Java's are ASCII-only unless UNICODE_CHARACTER_CLASS).
const LINE_TERMINATORS = '\\n\\r\\u{85}\\u{2028}\\u{2029}';
const END_OF_INPUT = `(?:$|(?=(?:\\r\\n|[${LINE_TERMINATORS}])$))`; // Java's `$` and `\Z`
const SPACE = '\\t\\n\\u{b}\\f\\r ';
const HORIZONTAL = ' \\t\\u{a0}\\u{1680}\\u{180e}\\u{2000}-\\u{200a}\\u{202f}\\u{205f}\\u{3000}';
const VERTICAL = '\\n\\u{b}\\f\\r\\u{85}\\u{2028}\\u{2029}';
const PUNCT = '!-\\/:-@\\[-`\\{-~';
const POSIX: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\u{0}-\\u{7f}',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: PUNCT,
  Graph: `a-zA-Z0-9${PUNCT}`,
  Print: `a-zA-Z0-9${PUNCT} `,
  Blank: ' \\t',
  Cntrl: '\\u{0}-\\u{1f}\\u{7f}',
  XDigit: '0-9a-fA-F',
  Space: SPACE,
};
// Shorthands whose Java meaning differs from JavaScript's, as class bodies.
const SHORTHANDS: Record<string, string> = { s: SPACE, h: HORIZONTAL, v: VERTICAL };
const NATIVE = new Set(['d', 'D', 'w', 'W']); // same meaning in both (ASCII)
const SIMPLE_ESCAPES: Record<string, number> = { t: 0x09, n: 0x0a, r: 0x0d, f: 0x0c, a: 0x07, e: 0x1b };
// Java's word boundaries count Unicode letters as word characters; JavaScript's, ASCII only.
const UNSUPPORTED_ESCAPES: Record<string, string> = {
  b: 'word boundary \\b',
  B: 'word boundary \\B',
  G: '\\G (end of the previous match)',
  X: '\\X (grapheme cluster)',
  N: '\\N{name}',
};

class Unsupported extends Error {}

const literal = (code: number) => (/[A-Za-z0-9_]/.test(String.fromCodePoint(code)) ? String.fromCodePoint(code) : `\\u{${code.toString(16)}}`);

/** Translates a Java regex for a whole-value match; see the module comment. */
export function javaPattern(pattern: string): JavaPattern {
  let body: string;
  try {
    body = new Translator(pattern).translate();
  } catch (error) {
    if (error instanceof Unsupported) return { unsupported: error.message };
    throw error;
  }
  try {
    return { regex: new RegExp(`^(?:${body})$`, 'u') };
  } catch (error) {
    return { unsupported: `JavaScript rejects the translation: ${(error as Error).message.replace(/^Invalid regular expression: \/.*\/u?: /, '')}` };
  }
}

/** A piece of the translation: text, a capturing group's "(" or a reference to one (numbered when rendered). */
type Part = string | { open: number; name?: string } | { ref: number };

interface OpenGroup {
  /** Index in parts where the group starts (what a quantifier after it repeats). */
  start: number;
  /** What its ")" emits. */
  close: Part[];
}

class Translator {
  private readonly chars: string[];
  private i = 0;
  private readonly parts: Part[] = [];
  /** Index in parts where the last atom starts, when the last thing emitted can take a quantifier. */
  private lastAtom: number | undefined;
  private readonly groups: OpenGroup[] = [];
  private nextGroup = 0;

  constructor(pattern: string) {
    this.chars = Array.from(pattern);
  }

  translate(): string {
    while (this.i < this.chars.length) this.step();
    if (this.groups.length > 0) throw new Unsupported('unclosed "(" (Java rejects it)');
    // Groups are numbered in the order their "(" appears, as JavaScript numbers them.
    const numbers = new Map<number, number>();
    for (const part of this.parts) if (typeof part === 'object' && 'open' in part) numbers.set(part.open, numbers.size + 1);
    return this.parts
      .map((part) => {
        if (typeof part === 'string') return part;
        if ('open' in part) return part.name ? `(?<${part.name}>` : '(';
        return `\\${numbers.get(part.ref)}`;
      })
      .join('');
  }

  private peek(offset = 0): string | undefined {
    return this.chars[this.i + offset];
  }

  private atom(text: string): void {
    this.lastAtom = this.parts.length;
    this.parts.push(text);
  }

  private emit(text: string): void {
    this.parts.push(text);
    this.lastAtom = undefined;
  }

  /**
   * Makes parts[start..] atomic, as Java's `(?>…)` and possessive quantifiers are:
   * `(?:(?=(X))\N)` matches what X matches first and never backtracks into it, which
   * is exactly an atomic group in a backtracking engine. N is a group of our own.
   */
  private atomic(start: number): Part[] {
    const id = this.nextGroup++;
    this.parts.splice(start, 0, '(?:(?=', { open: id });
    return ['))', { ref: id }, ')'];
  }

  private step(): void {
    const c = this.chars[this.i];
    switch (c) {
      case '\\':
        return this.escape();
      case '[':
        this.i++;
        return this.atom(this.charClass());
      case '.':
        this.i++;
        return this.atom(`[^${LINE_TERMINATORS}]`);
      case '^':
        this.i++;
        // Wrapped so that a Java quantifier on it (`^?`) stays legal JavaScript.
        return this.atom('(?:^)');
      case '$':
        this.i++;
        return this.atom(END_OF_INPUT);
      case '(':
        return this.group();
      case ')': {
        this.i++;
        const group = this.groups.pop();
        if (!group) throw new Unsupported('unmatched ")" (Java rejects it)');
        this.parts.push(...group.close);
        this.lastAtom = group.start;
        return;
      }
      case '|':
        this.i++;
        return this.emit('|');
      case '*':
      case '+':
      case '?':
      case '{':
        return this.quantifier();
      default:
        this.i++;
        return this.atom(literal(c.codePointAt(0)!));
    }
  }

  private quantifier(): void {
    const c = this.chars[this.i++];
    let text = c;
    if (c === '{') {
      const rest = this.chars.slice(this.i).join('');
      const m = /^(\d+)(,(\d*))?\}/.exec(rest);
      if (!m) throw new Unsupported(`"{" that is not a repetition (Java rejects it)`);
      text += m[0];
      this.i += Array.from(m[0]).length;
    }
    const start = this.lastAtom;
    if (start === undefined) throw new Unsupported(`quantifier "${text}" with nothing to repeat (Java rejects it)`);
    if (this.peek() === '+') {
      // Possessive: the greedy repetition, made atomic.
      this.i++;
      const close = this.atomic(start);
      this.parts.push(text, ...close);
      this.lastAtom = undefined;
      return;
    }
    if (this.peek() === '?') text += this.chars[this.i++];
    this.emit(text);
  }

  private group(): void {
    this.i++;
    const start = this.parts.length;
    if (this.peek() !== '?') {
      this.parts.push({ open: this.nextGroup++ });
      this.groups.push({ start, close: [')'] });
      this.lastAtom = undefined;
      return;
    }
    const rest = this.chars.slice(this.i).join('');
    const lookaround = /^\?(=|!|<=|<!)/.exec(rest);
    const named = /^\?<([A-Za-z][A-Za-z0-9]*)>/.exec(rest);
    if (rest.startsWith('?:')) {
      this.i += 2;
      this.parts.push('(?:');
      this.groups.push({ start, close: [')'] });
    } else if (lookaround) {
      // A lookaround inside a non-capturing group, so a quantifier after it stays legal.
      this.i += lookaround[0].length;
      this.parts.push(`(?:(${lookaround[0]}`);
      this.groups.push({ start, close: ['))'] });
    } else if (named) {
      this.i += named[0].length;
      this.parts.push({ open: this.nextGroup++, name: named[1] });
      this.groups.push({ start, close: [')'] });
    } else if (rest.startsWith('?>')) {
      this.i += 2;
      this.groups.push({ start, close: this.atomic(start) });
    } else {
      const flags = /^\?[-a-zA-Z]*[:)]?/.exec(rest)![0];
      throw new Unsupported(`inline flags "(${flags}"`);
    }
    this.lastAtom = undefined;
  }

  private escape(): void {
    const c = this.peek(1);
    if (c === undefined) throw new Unsupported('a trailing "\\" (Java rejects it)');
    this.i += 2;
    if (c === 'Q') {
      // Each quoted character is its own atom: a quantifier after \E repeats the last one only.
      for (const q of this.quoted()) this.atom(literal(q.codePointAt(0)!));
      return;
    }
    if (c === 'A') return this.atom('(?:^)');
    if (c === 'z') return this.atom('(?:$)');
    if (c === 'Z') return this.atom(END_OF_INPUT);
    if (c === 'R') return this.atom(`(?:\\r\\n|[${VERTICAL}])`);
    if (NATIVE.has(c)) return this.atom(`\\${c}`);
    if (c.toLowerCase() in SHORTHANDS) {
      const set = SHORTHANDS[c.toLowerCase()];
      return this.atom(c === c.toLowerCase() ? `[${set}]` : `[^${set}]`);
    }
    if (c === 'p' || c === 'P') {
      const { set, unicode } = this.property(c);
      if (unicode) return this.atom(`\\${c}{${set}}`);
      return this.atom(c === 'p' ? `[${set}]` : `[^${set}]`);
    }
    if ((/[0-9]/.test(c) && c !== '0') || c === 'k') {
      // Java fails a reference to a group that did not take part; JavaScript matches it as empty.
      throw new Unsupported(`back reference "\\${c}"`);
    }
    if (c in UNSUPPORTED_ESCAPES) throw new Unsupported(UNSUPPORTED_ESCAPES[c]);
    this.i -= 2;
    this.atom(literal(this.escapedCode()));
  }

  /** The character an escape stands for (at this.i, on the backslash); throws for one Java rejects. */
  private escapedCode(): number {
    const c = this.chars[this.i + 1];
    this.i += 2;
    if (c in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[c];
    const take = (re: RegExp, what: string) => {
      const m = re.exec(this.chars.slice(this.i).join(''));
      if (!m) throw new Unsupported(`malformed ${what} escape (Java rejects it)`);
      this.i += m[0].length;
      return m;
    };
    if (c === '0') {
      const m = take(/^(?:[0-3][0-7]{2}|[0-7]{1,2})/, 'octal');
      return parseInt(m[0], 8);
    }
    if (c === 'x') {
      const m = take(/^(?:\{([0-9a-fA-F]+)\}|([0-9a-fA-F]{2}))/, '\\x');
      const code = parseInt(m[1] ?? m[2], 16);
      if (code > 0x10ffff) throw new Unsupported(`"\\x{${m[1]}}" beyond Unicode (Java rejects it)`);
      return code;
    }
    if (c === 'u') return parseInt(take(/^[0-9a-fA-F]{4}/, '\\u')[0], 16);
    if (c === 'c') {
      const next = this.chars[this.i++];
      if (next === undefined) throw new Unsupported('"\\c" at the end (Java rejects it)');
      return next.codePointAt(0)! ^ 64;
    }
    if (/[A-Za-z]/.test(c)) throw new Unsupported(`"\\${c}" (Java rejects an unknown letter escape)`);
    return c.codePointAt(0)!;
  }

  /** `\Q…\E` (at this.i, after `\Q`): its characters. */
  private quoted(): string[] {
    const start = this.i;
    while (this.i < this.chars.length && !(this.chars[this.i] === '\\' && this.chars[this.i + 1] === 'E')) this.i++;
    const text = this.chars.slice(start, this.i);
    if (this.i < this.chars.length) this.i += 2;
    return text;
  }

  /** `\p{…}` or `\pX` (at this.i, after `\p`): a class body, or a Unicode property JavaScript spells alike. */
  private property(c: string): { set: string; unicode: boolean } {
    let name: string;
    if (this.peek() === '{') {
      const end = this.chars.indexOf('}', this.i);
      if (end < 0) throw new Unsupported(`unclosed "\\${c}{" (Java rejects it)`);
      name = this.chars.slice(this.i + 1, end).join('');
      this.i = end + 1;
    } else {
      if (this.peek() === undefined) throw new Unsupported(`"\\${c}" at the end (Java rejects it)`);
      name = this.chars[this.i++];
    }
    if (name in POSIX) return { set: POSIX[name], unicode: false };
    const category = /^(?:Is)?(L[ultmo]?|M[nce]?|N[dlo]?|P[cdseifo]?|S[mcko]?|Z[slp]?|C[cfson]?)$/.exec(name);
    if (category) return { set: category[1], unicode: true };
    throw new Unsupported(`character property "\\${c}{${name}}"`);
  }

  /** A character class (at this.i, after `[`) as JavaScript. */
  private charClass(): string {
    let negate = false;
    if (this.peek() === '^') {
      negate = true;
      this.i++;
    }
    if (this.peek() === ']') throw new Unsupported('"]" first in a character class');
    let body = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw new Unsupported('unclosed character class (Java rejects it)');
      if (c === ']') {
        this.i++;
        break;
      }
      if (c === '[') throw new Unsupported('nested character class (union)');
      if (c === '&' && this.peek(1) === '&') throw new Unsupported('character class intersection "&&"');
      const item = this.classItem();
      if (item.set !== undefined) {
        body += item.set;
        continue;
      }
      // A range needs a literal on each side of "-", and not "]" or "[" after it.
      const after = this.peek(1);
      if (this.peek() === '-' && after !== undefined && after !== ']' && after !== '[') {
        this.i++;
        const high = this.classItem();
        if (high.code === undefined) throw new Unsupported('a range ending in a class shorthand');
        if (high.code < item.code!) throw new Unsupported('a range out of order (Java rejects it)');
        body += `${literal(item.code!)}-${literal(high.code)}`;
      } else {
        body += literal(item.code!);
      }
    }
    return `[${negate ? '^' : ''}${body}]`;
  }

  /** One class member: a literal character (code) or a set of them (set, a class body). */
  private classItem(): { code?: number; set?: string } {
    const c = this.chars[this.i];
    if (c !== '\\') {
      this.i++;
      return { code: c.codePointAt(0)! };
    }
    const e = this.peek(1);
    if (e === undefined) throw new Unsupported('a trailing "\\" (Java rejects it)');
    if (e === 'Q') {
      this.i += 2;
      return { set: this.quoted().map((q) => literal(q.codePointAt(0)!)).join('') };
    }
    if (NATIVE.has(e)) {
      this.i += 2;
      return { set: `\\${e}` };
    }
    if (e in SHORTHANDS) {
      this.i += 2;
      return { set: SHORTHANDS[e] };
    }
    if (e.toLowerCase() in SHORTHANDS) throw new Unsupported(`negated "\\${e}" inside a character class`);
    if (e === 'p' || e === 'P') {
      this.i += 2;
      const { set, unicode } = this.property(e);
      if (unicode) return { set: `\\${e}{${set}}` };
      if (e === 'P') throw new Unsupported('negated POSIX class "\\P{…}" inside a character class');
      return { set };
    }
    if (e in UNSUPPORTED_ESCAPES || e === 'R' || /[1-9]/.test(e)) throw new Unsupported(`"\\${e}" inside a character class`);
    return { code: this.escapedCode() };
  }
}
