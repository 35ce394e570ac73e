import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BuildError } from '../core/errors';
import { formatMisspellings, parseAspellPipe, proseLines, spellCheck } from './spell';
import { tempDir } from '../../testing/temp-dir';

describe('proseLines', () => {
  it('keeps one entry per line and blanks fenced code, whatever its fence', () => {
    const md = ['Intro', '```bash', 'npx nx run docs:bild', '```', '~~~~', 'zzqx', '~~~~', 'Outro'].join('\n');
    expect(proseLines(md)).toEqual(['Intro', '', '', '', '', '', '', 'Outro']);
  });

  it('blanks inline code of any backtick length but keeps the prose around it', () => {
    const [line] = proseLines('Run `nx run docs:bild` or ``a ` tick`` now');
    expect(line).not.toMatch(/bild|tick/);
    expect(line).toMatch(/^Run .* or .* now$/);
  });

  it('keeps link text and drops link targets, HTML, attribute lists and entities', () => {
    const [line] = proseLines('See [the guide](gude-pagez.md#ankor "titel") <span class="zzq">x</span> {#qqz} &nbsp;');
    expect(line).toContain('the guide');
    expect(line).not.toMatch(/gude|ankor|titel|zzq|qqz|nbsp/);
  });

  it('blanks mkdocstrings directives with their indented options, and HTML comments', () => {
    const md = [':::  lava.lib', '    options:', '      show_sourse: true', 'Prose', '<!-- a', 'commant -->', 'End'].join('\n');
    expect(proseLines(md)).toEqual(['', '', '', 'Prose', '', '', 'End']);
  });

  it('blanks an HTML tag spread over lines, keeping the prose after it', () => {
    const md = ['<div style="x">', '  <img src="img/zzq.svg" ', '       alt="Lava Logo"', '       class="lava-logo">Text after', '</div>', 'Prose'].join('\n');
    expect(proseLines(md).map((l) => l.trim())).toEqual(['', '', '', 'Text after', '', 'Prose']);
  });

  it('skips attribute lists with keys, as headings carry them', () => {
    expect(proseLines('# Lava API Reference { x-nav="APY" data-toc-label=\'Shrt\' }')[0].trim()).toBe('# Lava API Reference');
  });

  it('checks an admonition title, not its type', () => {
    expect(proseLines('!!! warnng "Take care"')[0].trim()).toBe('"Take care"');
  });
});

describe('parseAspellPipe', () => {
  it('maps each answer block to its input line', () => {
    const out = '@(#) International Ispell Version 3.1.20 (but really Aspell 0.60.8)\n# wrold 7\n\n\n# Nx 1\n& teh 3 11: the, ten\n\n';
    expect(parseAspellPipe(out, 3)).toEqual([
      { line: 1, word: 'wrold' },
      { line: 3, word: 'Nx' },
      { line: 3, word: 'teh' },
    ]);
  });

  it('fails rather than misplacing words when the answer is short', () => {
    expect(() => parseAspellPipe('@(#) banner\n\n', 2)).toThrow(BuildError);
  });
});

describe('spellCheck (real aspell)', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('lava-spell-');
  });

  it('reports file:line: word for unknown words outside code, and accepts dictionary words', async () => {
    const page = join(dir, 'page.md');
    writeFileSync(page, ['# Builing lava', '', 'The mkdocs site.', '', '```', 'qzxv', '```', 'A `qzxv` and a flarbix.'].join('\n'));
    const dictionary = join(dir, 'dict');
    writeFileSync(dictionary, 'personal_ws-1.1 en 2\nmkdocs\nlava\n');
    const found = await spellCheck([page], { dictionary, display: () => 'page.md' });
    expect(formatMisspellings(found)).toBe('page.md:1: Builing\npage.md:8: flarbix');
  });

  it('refuses a dictionary that is not a personal word list', async () => {
    const page = join(dir, 'ok.md');
    writeFileSync(page, 'fine\n');
    const dictionary = join(dir, 'bad-dict');
    writeFileSync(dictionary, 'mkdocs\n');
    await expect(spellCheck([page], { dictionary })).rejects.toThrow(/first line must be "personal_ws-1.1 en <count>"/);
  });

  it('names the fix when the dictionary is missing', async () => {
    await expect(spellCheck([], { dictionary: join(dir, 'none') })).rejects.toThrow(/is missing; run: printf/);
  });
});
