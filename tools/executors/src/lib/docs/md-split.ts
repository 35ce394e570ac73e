// Splits the concatenated user guide into one mkdocs page per level-1 heading,
// the way lava's own guide has always been cut:
//
// - a heading is a line starting with `#`s, whitespace and text, optionally
//   closed by `#`s and followed by an attribute list `{ k="v" … }`; lines inside
//   fences opened by ``` at column 0 are never headings;
// - each H1 starts a page `NN-<slug>.md`: NN its two-digit ordinal, the slug
//   made from its `x-nav` attribute when it has one, else from its text; the
//   navigation label is the same `x-nav` or text;
// - text before the first H1 belongs to no page and is dropped;
// - a link to an anchor `](#anchor)` whose heading landed on another page is
//   rewritten to `](<page>#anchor)`; anchors are the headings' text reduced to
//   a slug (links in a heading keep their text); an anchor no heading has is
//   reported and left alone;
// - the `**md-split**` entry of the mkdocs `nav` list is replaced by
//   `{label: page}` items, one per page, in order.
//
// Two deliberate differences from the script the make build ran: an anchor is
// matched literally (that script put it into a regular expression unescaped,
// so a `+` or `(` in an anchor crashed it), and the configuration is edited in
// place (comments, key order and tags kept; no `mkdocs.yml~` backup left beside it).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, YAMLMap } from 'yaml';
import { BuildError } from '../core/errors';

export const NAV_PLACEHOLDER = '**md-split**';
const MAX_HEADING_DEPTH = 10;

const HEADING = /^(#+)\s+(.*?)\s*#*(\s+\{([^}]*)\})?\s*$/;
const XREF = /\]\(#([^)]+)/g;
const LINK = /\[([^\]]+)\]\(([^)]+)\)/g;

export interface MdLine {
  line: string;
  /** Inside (or opening) a ``` fence. */
  literal: boolean;
  /** 0: not a heading. */
  level: number;
  /** `01`, `02.03`, … (the page ordinal for an H1). */
  number?: string;
  text?: string;
  attrs?: Record<string, string>;
  /** The navigation label of a heading: its `x-nav` attribute, else its text. */
  nav?: string;
}

export interface SplitPage {
  file: string;
  nav: string;
  content: string;
}

export interface SplitResult {
  pages: SplitPage[];
  /** One line per anchor link that no heading answers. */
  warnings: string[];
}

/** Splits an attribute list the way a POSIX shell splits words (quotes, backslashes). */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new BuildError(`unclosed ' in attribute list {${text}}`);
      word = (word ?? '') + text.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      let value = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length && '\\"$`\n'.includes(text[j + 1])) j++;
        value += text[j];
      }
      if (j >= text.length) throw new BuildError(`unclosed " in attribute list {${text}}`);
      word = (word ?? '') + value;
      i = j + 1;
    } else if (c === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[i + 1];
      i += 2;
    } else {
      word = (word ?? '') + c;
      i++;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

export function parseAttributes(text: string | undefined): Record<string, string> {
  const attrs: Record<string, string> = {};
  if (!text) return attrs;
  for (const token of shellWords(text)) {
    const eq = token.indexOf('=');
    if (eq >= 0) attrs[token.slice(0, eq)] = token.slice(eq + 1);
  }
  return attrs;
}

/** A heading (or label) as a file-name-safe slug: ASCII, lower case, words joined by `-`. */
export function slug(value: string): string {
  let s = value.normalize('NFKD').replace(/[^\x00-\x7f]/g, '');
  s = s.replace(/[^./=+\w\s-]/g, '').trim().toLowerCase();
  s = s.replace(/\.+/g, '').replace(/\/+/g, '').replace(/[-\s]+/g, '-');
  return s.replace(/^[.-]+|[.-]+$/g, '');
}

/** The anchor a heading's text is linked by: links inside it reduced to their text, then slugged. */
export function headingAnchor(text: string): string {
  return slug(text.replace(LINK, '$1'));
}

function lines(markdown: string): string[] {
  const all = markdown.replace(/\r\n?/g, '\n').split('\n');
  if (all[all.length - 1] === '') all.pop();
  return all;
}

/** Every line of `markdown`, with the headings found and numbered outside ``` fences. */
export function scanHeadings(markdown: string): MdLine[] {
  const counter = new Array<number>(MAX_HEADING_DEPTH).fill(0);
  let literal = false;
  return lines(markdown).map((line) => {
    if (line.startsWith('```')) {
      literal = !literal;
      return { line, literal, level: 0 };
    }
    const match = literal ? null : HEADING.exec(line);
    if (!match) return { line, literal, level: 0 };
    const level = match[1].length;
    const text = match[2];
    const attrs = parseAttributes(match[4]);
    if (level <= MAX_HEADING_DEPTH) {
      for (let n = level; n < MAX_HEADING_DEPTH; n++) counter[n] = 0;
      counter[level - 1]++;
    }
    const number = counter
      .filter((v) => v)
      .map((v) => String(v).padStart(2, '0'))
      .join('.');
    return { line, literal, level, number, text, attrs, nav: attrs['x-nav'] || text };
  });
}

function pageFile(md: MdLine): string {
  return `${md.number}-${slug(md.nav ?? '')}.md`;
}

function rewriteLinks(line: string, page: string, anchors: Map<string, string>, warnings: string[]): string {
  for (const [, anchor] of line.matchAll(XREF)) {
    const target = anchors.get(anchor);
    if (target === undefined) {
      warnings.push(`${page}: Unknown cross-reference "${anchor}"`);
      continue;
    }
    if (target !== page) line = line.split(`(#${anchor})`).join(`(${target}#${anchor})`);
  }
  return line;
}

/** Splits the guide at its H1s into pages; see the top of this file for the rules. */
export function splitMarkdown(markdown: string): SplitResult {
  const scanned = scanHeadings(markdown);
  // Pass 1: which page each heading's anchor lands on (a later duplicate wins).
  const anchors = new Map<string, string>();
  let file: string | undefined;
  for (const md of scanned) {
    if (!md.level) continue;
    if (md.level <= 1) file = pageFile(md);
    if (file) anchors.set(headingAnchor(md.text ?? ''), file);
  }
  // Pass 2: cut, rewriting links; nothing before the first H1 is kept.
  const pages: SplitPage[] = [];
  const warnings: string[] = [];
  let page: { file: string; nav: string; out: string[] } | undefined;
  const flush = () => page && pages.push({ file: page.file, nav: page.nav, content: page.out.map((l) => `${l}\n`).join('') });
  for (const md of scanned) {
    if (md.level === 1) {
      flush();
      page = { file: pageFile(md), nav: md.nav ?? '', out: [] };
    }
    if (page) page.out.push(md.literal ? md.line : rewriteLinks(md.line, page.file, anchors, warnings));
  }
  flush();
  return { pages, warnings };
}

/**
 * The mkdocs configuration with its `**md-split**` nav entry replaced by one
 * `{label: page}` item per page; everything else in the file is kept as written.
 */
export function replaceNavPlaceholder(configText: string, pages: readonly Pick<SplitPage, 'file' | 'nav'>[], configName = 'mkdocs.yml'): string {
  const doc = parseDocument(configText, { keepSourceTokens: false });
  if (doc.errors.length) throw new BuildError(`${configName}: ${doc.errors[0].message.split('\n')[0]}`);
  const nav = doc.get('nav', true);
  const index = isSeq(nav) ? nav.items.findIndex((item) => isScalar(item) && item.value === NAV_PLACEHOLDER) : -1;
  if (!isSeq(nav) || index < 0) {
    throw new BuildError(`${configName} has no "${NAV_PLACEHOLDER}" entry in its nav list, so the split pages cannot be listed`, {
      fix: `add  - "${NAV_PLACEHOLDER}"  under nav: in ${configName}`,
    });
  }
  const items = pages.map((p) => {
    const map = new YAMLMap();
    map.set(p.nav, p.file);
    return doc.createNode(map);
  });
  nav.items.splice(index, 1, ...items);
  // Flow-styled nav lists stay flow; a block list gets block items.
  if (!nav.flow) for (const item of items) if (isMap(item)) item.flow = false;
  return doc.toString({ lineWidth: 0 });
}

/** Splits `mdFile` into `docsDir`, and lists the pages in `configFile`'s nav when given. */
export async function mdSplit(mdFile: string, docsDir: string, configFile?: string): Promise<SplitResult> {
  const result = splitMarkdown(await readFile(mdFile, 'utf8'));
  if (configFile) {
    const config = replaceNavPlaceholder(await readFile(configFile, 'utf8'), result.pages, configFile);
    await writeFile(configFile, config);
  }
  await mkdir(docsDir, { recursive: true });
  for (const page of result.pages) await writeFile(join(docsDir, page.file), page.content);
  return result;
}
