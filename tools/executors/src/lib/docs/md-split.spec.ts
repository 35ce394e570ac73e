import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { concatenateChapters } from './mkdocs';
import { headingAnchor, mdSplit, replaceNavPlaceholder, scanHeadings, shellWords, slug, splitMarkdown } from './md-split';
import { tempDir } from '../../testing/temp-dir';

const WORKSPACE = resolve(__dirname, '../../../../..');

/** The real lava tree when it is here: $LAVA_UPSTREAM, else the nearest ancestor's shared/upstream/lava. */
function upstreamLava(): string | undefined {
  if (process.env.LAVA_UPSTREAM) return process.env.LAVA_UPSTREAM;
  for (let dir = WORKSPACE; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'shared/upstream/lava');
    if (existsSync(join(candidate, 'etc/md-split'))) return candidate;
  }
  return undefined;
}
const UPSTREAM = upstreamLava();
const PYTHON = join(WORKSPACE, '.venv/bin/python3');
const realSkip = !UPSTREAM ? 'the real lava tree is not here (set LAVA_UPSTREAM)' : !existsSync(PYTHON) ? 'no .venv (npx nx run python-env:init)' : undefined;
// CI must compare with the real script: an absent tree there is a failure, not a skip.
if (realSkip && process.env.CI === 'true') throw new Error(`md-split comparison cannot run under CI: ${realSkip}`);

const temp = () => tempDir('lava-md-split-');

const GUIDE = [
  'Text before the first chapter is no page.',
  '',
  '# Getting Started { x-nav="Start" }',
  '',
  'See [the registry](#the-local-registry) and [setup](#setup-steps).',
  '',
  '## Setup Steps',
  '',
  '```bash',
  '# not a heading: a comment in a fence',
  'echo "[x](#the-local-registry)"',
  '```',
  '',
  '# The Local Registry',
  '',
  'Back to [setup](#setup-steps), here: [registry](#the-local-registry), nowhere: [x](#no-such-anchor).',
  '',
].join('\n');

describe('splitMarkdown', () => {
  it('cuts at H1s outside fences into NN-<slug>.md pages, dropping text before the first', () => {
    const { pages } = splitMarkdown(GUIDE);
    expect(pages.map((p) => p.file)).toEqual(['01-start.md', '02-the-local-registry.md']);
    expect(pages[0].content.startsWith('# Getting Started { x-nav="Start" }\n')).toBe(true);
    expect(pages[0].content).toContain('# not a heading: a comment in a fence\n');
    expect(pages.map((p) => p.content).join('')).not.toContain('Text before the first chapter');
  });

  it('labels a page by its x-nav attribute, else by its heading text', () => {
    expect(splitMarkdown(GUIDE).pages.map((p) => p.nav)).toEqual(['Start', 'The Local Registry']);
  });

  it('points links at anchors on other pages to those pages, leaves same-page links and fenced lines alone, and reports unknown anchors', () => {
    const { pages, warnings } = splitMarkdown(GUIDE);
    expect(pages[0].content).toContain('See [the registry](02-the-local-registry.md#the-local-registry) and [setup](#setup-steps).');
    expect(pages[0].content).toContain('echo "[x](#the-local-registry)"');
    expect(pages[1].content).toContain(
      'Back to [setup](01-start.md#setup-steps), here: [registry](#the-local-registry), nowhere: [x](#no-such-anchor).',
    );
    expect(warnings).toEqual(['02-the-local-registry.md: Unknown cross-reference "no-such-anchor"']);
  });

  it('numbers pages by H1 only and ends every line with a newline', () => {
    const { pages } = splitMarkdown('# One\n## a\n### b\n# Two\r\nlast line without newline');
    expect(pages.map((p) => p.file)).toEqual(['01-one.md', '02-two.md']);
    expect(pages[1].content).toBe('# Two\nlast line without newline\n');
  });

  it('matches an anchor literally (a "+" or "(" in it is no pattern)', () => {
    const { pages } = splitMarkdown('# A\n[c](#c++)\n# C++\n');
    expect(pages[0].content).toBe('# A\n[c](02-c++.md#c++)\n');
  });
});

describe('headings', () => {
  it('takes closing hashes and attribute lists off the text', () => {
    const [h] = scanHeadings('## Title ## { data-toc-label="Short one" x-nav=\'N\' }');
    expect(h).toMatchObject({ level: 2, text: 'Title', attrs: { 'data-toc-label': 'Short one', 'x-nav': 'N' }, nav: 'N' });
  });

  it('needs a space after the hashes and a fence at column 0', () => {
    expect(scanHeadings('#hashtag\n  ```\n# Real').map((l) => l.level)).toEqual([0, 0, 1]);
  });

  it('slugs as the file names and anchors need', () => {
    expect(slug('Café: Jobs & Job-Types!')).toBe('cafe-jobs-job-types');
    expect(slug('lava.lib / v8.2')).toBe('lavalib-v82');
    expect(headingAnchor('The [lava worker](#workers) Role')).toBe('the-lava-worker-role');
  });

  it('splits attribute lists as a shell splits words', () => {
    expect(shellWords(`a="b c" d='e "f"' g=h\\ i`)).toEqual(['a=b c', `d=e "f"`, 'g=h i']);
    expect(() => shellWords('a="b')).toThrow('unclosed " in attribute list');
  });
});

describe('replaceNavPlaceholder', () => {
  const config = '# the site\nsite_name: x\nnav:\n  - index.md\n  - "**md-split**"\n  - Extra: extra.md\ntheme: {name: material}\n';

  it('puts one {label: page} item in place of the placeholder, keeping the rest as written', () => {
    const out = replaceNavPlaceholder(config, [
      { nav: 'Start', file: '01-start.md' },
      { nav: 'The Local Registry', file: '02-the-local-registry.md' },
    ]);
    expect(parse(out).nav).toEqual(['index.md', { Start: '01-start.md' }, { 'The Local Registry': '02-the-local-registry.md' }, { Extra: 'extra.md' }]);
    expect(out.startsWith('# the site\nsite_name: x\n')).toBe(true);
    expect(out).toContain('theme: { name: material }');
  });

  it('refuses a configuration without the placeholder', () => {
    expect(() => replaceNavPlaceholder('nav:\n  - index.md\n', [], 'mkdocs/mkdocs.yml')).toThrow(
      'mkdocs/mkdocs.yml has no "**md-split**" entry in its nav list, so the split pages cannot be listed; run: add  - "**md-split**"  under nav: in mkdocs/mkdocs.yml',
    );
  });
});

function readSplit(docs: string, config: string): { files: Record<string, string>; nav: unknown } {
  return {
    files: Object.fromEntries(readdirSync(docs).sort().map((f) => [f, readFileSync(join(docs, f), 'utf8')])),
    nav: parse(readFileSync(config, 'utf8')).nav,
  };
}

/** Splits `markdown` with lava's own etc/md-split (ours when `real` is false) in a fresh folder. */
async function split(markdown: string, real: boolean): Promise<{ files: Record<string, string>; nav: unknown }> {
  const dir = temp();
  writeFileSync(join(dir, 'guide.md'), markdown);
  writeFileSync(join(dir, 'mkdocs.yml'), 'site_name: x\nnav:\n  - "**md-split**"\n');
  mkdirSync(join(dir, 'docs'));
  if (real) {
    const script = join(UPSTREAM as string, 'etc/md-split');
    execFileSync(PYTHON, [script, '--config', join(dir, 'mkdocs.yml'), '--dir', join(dir, 'docs'), join(dir, 'guide.md')], { stdio: 'pipe' });
  } else {
    await mdSplit(join(dir, 'guide.md'), join(dir, 'docs'), join(dir, 'mkdocs.yml'));
  }
  return readSplit(join(dir, 'docs'), join(dir, 'mkdocs.yml'));
}

describe.skipIf(realSkip)("the same pages as lava's own etc/md-split", () => {
  async function compare(markdown: string): Promise<Record<string, string>> {
    const real = await split(markdown, true);
    const ours = await split(markdown, false);
    expect(Object.keys(ours.files)).toEqual(Object.keys(real.files));
    for (const [name, text] of Object.entries(real.files)) expect(ours.files[name], name).toBe(text);
    expect(ours.nav).toEqual(real.nav);
    return ours.files;
  }

  it('on the fixture guide', async () => {
    expect(Object.keys(await compare(GUIDE))).toEqual(['01-start.md', '02-the-local-registry.md']);
  });

  it('on the real user guide, chapters merged as make merged them', async () => {
    const chapters = temp();
    execFileSync('cp', ['-R', join(UPSTREAM as string, 'doc/user-guide/.'), chapters]);
    chmodSync(chapters, 0o755);
    const { markdown, files } = await concatenateChapters(chapters);
    expect(files.length).toBeGreaterThan(150);
    const pages = await compare(markdown);
    expect(Object.keys(pages)).toContain('01-about-lava.md');
    expect(Object.keys(pages).some((f) => /^\d\d-cloudformation-templates\.md$/.test(f))).toBe(true);
  });
});
