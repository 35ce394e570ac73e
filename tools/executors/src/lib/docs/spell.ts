// Spell checking of Markdown with aspell, non-interactive. aspell's pipe mode
// (-a) answers one block per input line, which is what gives us line numbers;
// the Markdown is reduced to prose here first (code, URLs, HTML and mkdocs
// directives blanked) so that every line keeps its number.
import { existsSync, readFileSync } from 'node:fs';
import { BuildError, isBuildError } from '../core/errors';
import { run } from '../core/process';

export interface Misspelling {
  file: string;
  line: number;
  word: string;
}

const FENCE = /^\s*(`{3,}|~{3,})/;

/** Blanks inline code spans (any backtick run length), keeping the line's other text. */
function blankInlineCode(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] !== '`') {
      out += line[i++];
      continue;
    }
    let run = 1;
    while (line[i + run] === '`') run++;
    const ticks = '`'.repeat(run);
    const close = line.indexOf(ticks, i + run);
    if (close < 0) {
      out += ticks;
      i += run;
      continue;
    }
    out += ' '.repeat(close + run - i);
    i = close + run;
  }
  return out;
}

function blankSyntax(line: string): string {
  return (
    blankInlineCode(line)
      // link and image targets: [text](target "title") keeps the text
      .replace(/\]\([^)]*\)/g, ']')
      // reference definitions: [id]: target
      .replace(/^\s*\[[^\]]+\]:\s*\S.*$/, '')
      // autolinks and HTML tags
      .replace(/<[^>\s][^>]*>/g, ' ')
      // attribute lists: { #anchor .class } and { x-nav="Short" data-toc-label='Short' }
      .replace(/\{\s*(?:[#.:]|[\w-]+=)[^}]*\}/g, ' ')
      // admonitions: !!! note "Title" checks the title only
      .replace(/^(\s*)(!!!|\?\?\?\+?)\s*\S+/, '$1')
      // HTML entities
      .replace(/&#?\w+;/g, ' ')
  );
}

/**
 * The prose of a Markdown document, one entry per source line (so indexes are
 * line numbers - 1): fenced code, inline code, link targets, HTML, attribute
 * lists and mkdocstrings `:::` blocks become blank.
 */
export function proseLines(markdown: string): string[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let fence: string | undefined;
  let inComment = false;
  let inTag = false;
  let inDirective = false;
  for (const line of lines) {
    if (fence) {
      const match = FENCE.exec(line);
      if (match && match[1][0] === fence[0] && match[1].length >= fence.length && line.trim() === match[1]) fence = undefined;
      out.push('');
      continue;
    }
    const open = FENCE.exec(line);
    if (open) {
      fence = open[1];
      out.push('');
      continue;
    }
    if (inDirective && (line.trim() === '' || /^\s{4,}/.test(line))) {
      out.push('');
      continue;
    }
    inDirective = false;
    if (/^\s*:::\s/.test(line)) {
      inDirective = true;
      out.push('');
      continue;
    }
    let text = line;
    if (inComment) {
      const end = text.indexOf('-->');
      if (end < 0) {
        out.push('');
        continue;
      }
      text = text.slice(end + 3);
      inComment = false;
    }
    text = text.replace(/<!--.*?-->/g, ' ');
    const start = text.indexOf('<!--');
    if (start >= 0) {
      text = text.slice(0, start);
      inComment = true;
    }
    // An HTML tag spread over lines (<img src="…"⏎ alt="…">): its attributes are no prose.
    let prefix = '';
    if (inTag) {
      const end = text.indexOf('>');
      if (end < 0) {
        out.push('');
        continue;
      }
      prefix = ' '.repeat(end + 1);
      text = text.slice(end + 1);
      inTag = false;
    }
    let prose = blankSyntax(text);
    const unclosed = /<[A-Za-z\/][^>]*$/.exec(prose);
    if (unclosed) {
      prose = prose.slice(0, unclosed.index);
      inTag = true;
    }
    out.push(prefix + prose);
  }
  return out;
}

/**
 * Parses aspell's pipe-mode answer to `lineCount` input lines: a banner, then
 * per input line zero or more `& word …` / `# word …` / `? word …` lines and
 * one empty line. Returns the unknown words per 1-based line.
 */
export function parseAspellPipe(output: string, lineCount: number): { line: number; word: string }[] {
  const rows = (output.endsWith('\n') ? output.slice(0, -1) : output).split('\n');
  let index = 0;
  if (rows[0]?.startsWith('@(#)')) index = 1;
  const found: { line: number; word: string }[] = [];
  let line = 1;
  for (; index < rows.length && line <= lineCount; index++) {
    const row = rows[index];
    if (row === '') {
      line++;
      continue;
    }
    const match = /^[&#?] (\S+)/.exec(row);
    if (match) found.push({ line, word: match[1] });
  }
  if (line <= lineCount) {
    throw new BuildError(`aspell answered for ${line - 1} of ${lineCount} lines; its output was cut short`);
  }
  return found;
}

/** Checks the personal word list is in aspell's format before aspell sees it. */
export function checkDictionary(path: string, lang: string): void {
  if (!existsSync(path)) {
    throw new BuildError(`the project dictionary ${path} is missing`, {
      fix: `printf 'personal_ws-1.1 ${lang} 0\\n' > ${path}`,
    });
  }
  const header = readFileSync(path, 'utf8').split('\n', 1)[0];
  if (!new RegExp(`^personal_ws-1\\.1 ${lang}\\b`).test(header)) {
    throw new BuildError(
      `${path} is not an aspell personal word list: its first line must be "personal_ws-1.1 ${lang} <count>", got "${header}"`,
    );
  }
}

export interface SpellOptions {
  /** Absolute path of the personal word list (aspell treats relative ones as relative to $HOME). */
  dictionary: string;
  lang?: string;
  /** How each file is named in the report (default: as given). */
  display?: (file: string) => string;
}

/** Every unknown word in `files`, in file then line order. */
export async function spellCheck(files: readonly string[], options: SpellOptions): Promise<Misspelling[]> {
  const lang = options.lang ?? 'en';
  checkDictionary(options.dictionary, lang);
  const where: { file: string; line: number }[] = [];
  let input = '!\n';
  for (const file of files) {
    proseLines(readFileSync(file, 'utf8')).forEach((text, i) => {
      where.push({ file, line: i + 1 });
      // "^" makes aspell read the line as text, never as a pipe-mode command.
      input += `^${text}\n`;
    });
  }
  if (where.length === 0) return [];
  let stdout: string;
  try {
    ({ stdout } = await run(
      'aspell',
      ['-a', `--lang=${lang}`, '--encoding=utf-8', '--mode=url', '--dont-suggest', `--personal=${options.dictionary}`],
      { input, stream: false, label: 'aspell', missingHint: `apt-get install aspell aspell-${lang}` },
    ));
  } catch (error) {
    if (isBuildError(error) && /No word lists can be found/.test(error.detail ?? '')) {
      throw new BuildError(`aspell has no word list for "${lang}"`, { fix: `apt-get install aspell-${lang}` });
    }
    throw error;
  }
  const display = options.display ?? ((file: string) => file);
  return parseAspellPipe(stdout, where.length).map(({ line, word }) => {
    const at = where[line - 1];
    return { file: display(at.file), line: at.line, word };
  });
}

export function formatMisspellings(found: readonly Misspelling[]): string {
  return found.map((m) => `${m.file}:${m.line}: ${m.word}`).join('\n');
}
