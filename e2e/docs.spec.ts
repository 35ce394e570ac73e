// The user guide for real: docs:build, docs:preview in headless Chromium,
// docs:spell and docs:publish, each through real nx in a temp copy.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { dumpDom, screenshot, startPreview, type Preview } from './support/chromium';
import { cacheStatus, copyWorkspace, type TempWorkspace } from './support/workspace';

const SITE = 'dist/doc/site';
const CHAPTERS = 'packages/docs/user-guide';
const CONFIG = 'packages/docs/mkdocs/mkdocs.yml';

/** The split page whose name ends with `-<slug>.html`. */
function page(ws: TempWorkspace, slug: string): string {
  const name = readdirSync(ws.path(SITE)).find((f) => new RegExp(`^\\d+-${slug}\\.html$`).test(f));
  if (!name) throw new Error(`no page *-${slug}.html in ${SITE}`);
  return name;
}

function sourceTemplates(ws: TempWorkspace): { name: string; parameters: string[] }[] {
  return readdirSync(ws.path('packages/cfn'))
    .filter((f) => f.endsWith('.cfn.json'))
    .map((f) => ({
      name: f.replace(/\.cfn\.json$/, ''),
      parameters: Object.keys(JSON.parse(readFileSync(ws.path('packages/cfn', f), 'utf8')).Parameters ?? {}),
    }));
}

function versionOf(ws: TempWorkspace): string {
  const v = JSON.parse(readFileSync(ws.path('packages/lava/lava/VERSION.json'), 'utf8'));
  return `${v.__version_num__} (${v.__version_name__})`;
}

function footer(html: string): string {
  return /<footer[\s\S]*<\/footer>/.exec(html)?.[0] ?? '';
}

describe('docs:build', () => {
  let ws: TempWorkspace;
  beforeAll(() => {
    ws = copyWorkspace({ prefix: 'lava-docs-build' });
  });
  afterAll(() => ws?.remove());

  it('builds the guide as make did: merged chapters, one page per H1, the cfn chapter from the sources, the API page, the version in index and footer', () => {
    const result = ws.nx(['run', 'docs:build']);
    expect(result.exitCode, result.output).toBe(0);
    expect(readdirSync(ws.path('dist/doc')).sort()).toEqual(['img', 'lava-user-guide.md', 'lava-user-guide.site', 'site']);

    const merged = readFileSync(ws.path('dist/doc/lava-user-guide.md'), 'utf8');
    expect(merged.startsWith('\n# About Lava\n')).toBe(true);
    const nav = parse(readFileSync(ws.path('dist/doc/lava-user-guide.site/mkdocs.yml'), 'utf8')).nav as Record<string, string>[];
    expect(nav.map((item) => Object.entries(item)[0].join(': '))).toEqual([
      'About Lava: 01-about-lava.md',
      'Concepts: 02-concepts.md',
      'Installation: 03-installation.md',
      'Samples: 04-samples.md',
      'Artefacts: 05-artefacts.md',
      'Caching: 06-caching.md',
      'CI: 07-ci.md',
      'Troubleshooting: 08-troubleshooting.md',
      'API: 09-api.md',
      'CloudFormation: 10-cloudformation.md',
    ]);

    const templates = sourceTemplates(ws);
    expect(templates.map((t) => t.name).sort()).toEqual(['lava-common', 'lava-realm', 'lava-worker']);
    const cfn = readFileSync(ws.path(SITE, page(ws, 'cloudformation')), 'utf8');
    for (const { name, parameters } of templates) {
      expect(cfn).toContain(`${name}.cfn.json`);
      expect(parameters.length).toBeGreaterThan(0);
      for (const parameter of parameters) expect(cfn, `${name}: ${parameter}`).toContain(`<code>${parameter}</code>`);
    }
    // the source templates, as make rendered them: Version keeps its placeholder default
    expect(cfn).toContain('WRONG TEMPLATE');

    const api = readFileSync(ws.path(SITE, page(ws, 'api')), 'utf8');
    expect(api).toMatch(/<h2 id="lava\.version" class="doc doc-heading">/);
    // a link across pages was pointed at the page holding the anchor
    expect(readFileSync(ws.path(SITE, '01-about-lava.html'), 'utf8')).toMatch(/href="\d+-installation\.html#building-lava-components"/);

    expect(readFileSync(ws.path(SITE, 'index.html'), 'utf8')).toContain(`lava</strong> ${versionOf(ws)}`);
    for (const file of ['index.html', page(ws, 'cloudformation'), page(ws, 'api')]) {
      expect(footer(readFileSync(ws.path(SITE, file), 'utf8')), file).toContain(`v${versionOf(ws)}`);
    }
    expect(result.output).toMatch(/User guide \S+ \(\S+\): 10 pages; samples page regenerated; 0 mkdocs warnings, 0 mkdocs errors, 0 unknown cross-references\./);
  });

  it('is a cache hit the second time; a new version, a changed template source or item template rebuilds it', () => {
    const again = ws.nx(['run', 'docs:build']);
    expect(again.exitCode, again.output).toBe(0);
    expect(cacheStatus(again.output, 'docs:build')).toBe('local');

    writeFileSync(ws.path('packages/lava/lava/VERSION.json'), '{"__version_num__": "8.3.0", "__version_name__": "Etna"}\n');
    const rebuilt = ws.nx(['run', 'docs:build']);
    expect(rebuilt.exitCode, rebuilt.output).toBe(0);
    expect(cacheStatus(rebuilt.output, 'docs:build')).toBe('miss');
    expect(footer(readFileSync(ws.path(SITE, page(ws, 'cloudformation')), 'utf8'))).toContain('v8.3.0 (Etna)');

    const file = ws.path('packages/cfn/lava-common.cfn.json');
    const template = JSON.parse(readFileSync(file, 'utf8'));
    template.Description = 'A description changed by the test.';
    writeFileSync(file, JSON.stringify(template, null, 2));
    const cfn = ws.nx(['run', 'docs:build']);
    expect(cacheStatus(cfn.output, 'docs:build')).toBe('miss');
    expect(readFileSync(ws.path(SITE, page(ws, 'cloudformation')), 'utf8')).toContain('A description changed by the test.');

    expect(readFileSync(ws.path(SITE, page(ws, 'samples')), 'utf8')).not.toContain('retries');
    appendFileSync(ws.path('packages/dev-tools/templates/job/cmd.yaml'), 'retries: 7\n');
    const samples = ws.nx(['run', 'docs:build']);
    expect(cacheStatus(samples.output, 'docs:build')).toBe('miss');
    expect(readFileSync(ws.path(SITE, page(ws, 'samples')), 'utf8')).toContain('retries');
  });

  it('counts a broken link as a warning and builds; --strict fails on it with mkdocs’ message and leaves the previous guide whole', () => {
    appendFileSync(ws.path(CHAPTERS, '01-About-Lava.md'), '\nSee [the missing page](no-such-page.md).\n');
    const relaxed = ws.nx(['run', 'docs:build']);
    expect(relaxed.exitCode, relaxed.output).toBe(0);
    expect(relaxed.output).toContain('1 mkdocs warning, 0 mkdocs errors');
    expect(relaxed.output).toContain('(npx nx run docs:build --strict fails on them.)');

    const before = readFileSync(ws.path(SITE, 'index.html'), 'utf8');
    const result = ws.nx(['run', 'docs:build', '--strict']);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain(
      "✖ docs:build: mkdocs (strict): Doc file '01-about-lava.md' contains a link 'no-such-page.md', but the target is not found among documentation files; run: correct the page, then npx nx run docs:build",
    );
    expect(readFileSync(ws.path(SITE, 'index.html'), 'utf8')).toBe(before);
    expect(readdirSync(ws.path('dist/doc')).sort()).toEqual(['img', 'lava-user-guide.md', 'lava-user-guide.site', 'site']);
  });

  it('fails without the **md-split** nav entry, leaving no guide when there was none', () => {
    execFileSync('rm', ['-rf', ws.path('dist/doc')]);
    writeFileSync(ws.path(CONFIG), readFileSync(ws.path(CONFIG), 'utf8').replace('  - "**md-split**"', '  - index.md'));
    const result = ws.nx(['run', 'docs:build']);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toMatch(/✖ docs:build: \S*mkdocs\.yml has no "\*\*md-split\*\*" entry in its nav list, so the split pages cannot be listed; run: add/);
    expect(existsSync(ws.path('dist/doc'))).toBe(false);
  });
});

describe('docs:preview in headless Chromium', () => {
  let ws: TempWorkspace;
  let preview: Preview;
  beforeAll(() => {
    ws = copyWorkspace({ prefix: 'lava-docs-preview' });
  });
  afterAll(() => {
    preview?.kill();
    ws?.remove();
  });

  it('serves the guide on a free localhost port, which Chromium renders with its title and a cfn parameter table', async () => {
    preview = startPreview(ws);
    const url = await preview.url;
    expect(preview.output()).not.toMatch(/Not opening a browser|Could not open a browser/);

    expect(dumpDom(ws, url)).toMatch(/<title>Lava User Guide<\/title>/);
    const cfn = `${url}10-cloudformation.html`;
    const dom = dumpDom(ws, cfn);
    expect(dom).toMatch(/<title>CloudFormation - Lava User Guide<\/title>/);
    const table = /<table>[\s\S]*?<\/table>/g;
    const parameters = [...dom.matchAll(table)].map((m) => m[0]).find((t) => t.includes('<th>Parameter</th>') && t.includes('WorkerName'));
    expect(parameters).toBeDefined();
    expect(parameters).toContain('<th>Allowed values</th>');

    const shot = ws.path('preview.png');
    screenshot(ws, cfn, shot);
    const png = readFileSync(shot);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);
  }, 600_000);

  it('prepares the pages again when a chapter is edited while it serves (live reload)', async () => {
    const url = await preview.url;
    appendFileSync(ws.path(CHAPTERS, '02-Concepts.md'), '\nA sentence added while the preview runs.\n');
    await vi.waitFor(
      async () => expect(await (await fetch(`${url}02-concepts.html`)).text()).toContain('A sentence added while the preview runs.'),
      { timeout: 60_000, interval: 500 },
    );
  });

  it('stops when nx is stopped, leaving nothing listening and no scratch copy of the guide', async () => {
    const url = await preview.url;
    const scratch = /Watching paths for changes: '([^']*lava-docs-preview-[^/']+)\//.exec(preview.output())?.[1];
    expect(scratch, preview.output()).toBeDefined();
    expect(existsSync(scratch as string)).toBe(true);
    await preview.stop();
    await expect(fetch(url)).rejects.toThrow();
    expect(existsSync(scratch as string)).toBe(false);
  });
});

describe('docs:spell', () => {
  let ws: TempWorkspace;
  beforeAll(() => {
    ws = copyWorkspace({ prefix: 'lava-docs-spell' });
  });
  afterAll(() => ws?.remove());

  it('passes on the shipped guide', () => {
    const result = ws.nx(['run', 'docs:spell']);
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toMatch(/Spelling: \d+ files, no unknown words\./);
  });

  it('fails naming file:line: word for a misspelling, skipping code; the word list accepts it', () => {
    const chapter = `${CHAPTERS}/02-Concepts.md`;
    const lines = readFileSync(ws.path(chapter), 'utf8').split('\n').length;
    appendFileSync(ws.path(chapter), '\nThe builder is qwertyx.\n\n```bash\nzzyzxq --flag\n```\n\nRun `zzyzxq`.\n');
    const result = ws.nx(['run', 'docs:spell']);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain(`${chapter}:${lines + 1}: qwertyx`);
    expect(result.output).not.toContain('zzyzxq');
    expect(result.output).toContain('✖ docs:spell: 1 unknown word in');

    appendFileSync(ws.path('packages/docs/.aspell-dict'), 'qwertyx\n');
    const accepted = ws.nx(['run', 'docs:spell']);
    expect(accepted.exitCode, accepted.output).toBe(0);
  });
});

describe('docs:publish to a local bare repository', () => {
  let ws: TempWorkspace;
  let bare: string;
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: 'pipe' }).trim();

  beforeAll(() => {
    ws = copyWorkspace({ git: true, prefix: 'lava-docs-publish' });
    bare = ws.path('.remote.git');
    git(ws.root, 'init', '-q', '--bare', bare);
    // the bare repository sits inside the copy; keep it out of the work tree's status
    appendFileSync(ws.path('.git/info/exclude'), '/.remote.git/\n');
    git(ws.root, 'remote', 'add', 'origin', bare);
  });
  afterAll(() => ws?.remove());

  it('pushes the built site as one commit naming the version to gh-pages', () => {
    const result = ws.nx(['run', 'docs:publish']);
    expect(result.exitCode, result.output).toBe(0);
    const files = git(bare, 'ls-tree', '-r', '--name-only', 'gh-pages').split('\n');
    expect(files).toContain('index.html');
    expect(files).toContain('10-cloudformation.html');
    expect(files).toContain('.nojekyll');
    expect(git(bare, 'rev-list', '--count', 'gh-pages')).toBe('1');
    expect(git(bare, 'log', '-1', '--format=%s', 'gh-pages')).toContain(`lava user guide ${versionOf(ws)}`);
    expect(git(bare, 'show', 'gh-pages:index.html')).toBe(readFileSync(ws.path(SITE, 'index.html'), 'utf8').trim());
    expect(git(ws.root, 'status', '--porcelain')).toBe('');
  });

  it('refuses on another branch, pushing nothing', () => {
    const before = git(bare, 'rev-parse', 'gh-pages');
    git(ws.root, 'switch', '-q', '-c', 'feature');
    const result = ws.nx(['run', 'docs:publish']);
    git(ws.root, 'switch', '-q', 'main');
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('✖ docs:publish: publishing only from the main branch, and this is "feature"; run: git switch main');
    expect(git(bare, 'rev-parse', 'gh-pages')).toBe(before);
  });

  it('refuses with a dirty work tree, pushing nothing', () => {
    const before = git(bare, 'rev-parse', 'gh-pages');
    appendFileSync(ws.path(CHAPTERS, '31-CI.md'), '\nAn uncommitted line.\n');
    const result = ws.nx(['run', 'docs:publish']);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain(
      `✖ docs:publish: the work tree has uncommitted changes (${CHAPTERS}/31-CI.md), so the site would not match a commit; run: git commit (or git stash) them first`,
    );
    expect(git(bare, 'rev-parse', 'gh-pages')).toBe(before);
  });
});
