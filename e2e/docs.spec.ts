// The user guide for real: docs:build, docs:preview in headless Chromium,
// docs:spell and docs:publish, each through real nx in a temp copy.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cacheStatus, copyWorkspace, NX_ENV, type TempWorkspace } from './support/workspace';

const SITE = 'dist/doc/site';
const PAGES = 'packages/docs/docs';

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

  it('builds the site with an index, a reference page holding every parameter of each template, the API page and the version in the footer', () => {
    const result = ws.nx(['run', 'docs:build']);
    expect(result.exitCode, result.output).toBe(0);
    expect(existsSync(ws.path(SITE, 'index.html'))).toBe(true);

    const templates = sourceTemplates(ws);
    expect(templates.map((t) => t.name).sort()).toEqual(['lava-common', 'lava-realm', 'lava-worker']);
    for (const { name, parameters } of templates) {
      const page = readFileSync(ws.path(SITE, 'reference/cfn', `${name}.html`), 'utf8');
      expect(parameters.length).toBeGreaterThan(0);
      for (const parameter of parameters) expect(page, `${name}: ${parameter}`).toContain(`<code>${parameter}</code>`);
      // the built template, not the source: Version's default is the version itself
      expect(page).not.toContain('WRONG TEMPLATE');
    }

    const api = readFileSync(ws.path(SITE, 'api.html'), 'utf8');
    expect(api).toMatch(/<h2 id="lava\.[a-z_]+" class="doc doc-heading">/);

    for (const page of ['index.html', 'reference/cfn/lava-worker.html', 'api.html']) {
      expect(footer(readFileSync(ws.path(SITE, page), 'utf8'))).toContain(`lava ${versionOf(ws)}`);
    }
  });

  it('is a cache hit the second time, and a new version rebuilds it with the new footer', () => {
    const again = ws.nx(['run', 'docs:build']);
    expect(again.exitCode, again.output).toBe(0);
    expect(cacheStatus(again.output, 'docs:build')).toBe('local');

    writeFileSync(ws.path('packages/lava/lava/VERSION.json'), '{"__version_num__": "8.3.0", "__version_name__": "Etna"}\n');
    const rebuilt = ws.nx(['run', 'docs:build']);
    expect(rebuilt.exitCode, rebuilt.output).toBe(0);
    expect(cacheStatus(rebuilt.output, 'docs:build')).toBe('miss');
    const worker = readFileSync(ws.path(SITE, 'reference/cfn/lava-worker.html'), 'utf8');
    expect(footer(worker)).toContain('lava 8.3.0 (Etna)');
    expect(worker).toContain('<code>8.3.0</code>');
  });

  it('fails on a broken internal link with mkdocs’ message and leaves the previous site whole', () => {
    const before = readFileSync(ws.path(SITE, 'index.html'), 'utf8');
    appendFileSync(ws.path(PAGES, 'index.md'), '\nSee [the missing page](no-such-page.md).\n');
    const result = ws.nx(['run', 'docs:build']);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain(
      "✖ docs:build: mkdocs (strict): Doc file 'index.md' contains a link 'no-such-page.md', but the target is not found among documentation files; run: correct the page, then npx nx run docs:build",
    );
    expect(readFileSync(ws.path(SITE, 'index.html'), 'utf8')).toBe(before);
    expect(readdirSync(ws.path('dist/doc'))).toEqual(['site']);
  });

  it('fails on a page left out of the navigation, leaving no site when there was none', () => {
    execFileSync('rm', ['-rf', ws.path('dist/doc')]);
    writeFileSync(ws.path(PAGES, 'index.md'), '# The lava build\n');
    writeFileSync(ws.path(PAGES, 'orphan.md'), '# Orphan\n');
    const result = ws.nx(['run', 'docs:build']);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toMatch(/✖ docs:build: mkdocs \(strict\): .*orphan\.md/);
    expect(existsSync(ws.path('dist/doc/site'))).toBe(false);
    expect(readdirSync(ws.path('dist/doc'))).toEqual([]);
  });
});

describe('docs:build with a page missing from the sources', () => {
  let ws: TempWorkspace;
  beforeAll(() => {
    ws = copyWorkspace({ prefix: 'lava-docs-missing' });
  });
  afterAll(() => ws?.remove());

  it('fails naming the navigation entry that has no page', () => {
    execFileSync('rm', [ws.path(PAGES, 'caching.md')]);
    const result = ws.nx(['run', 'docs:build']);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toMatch(/✖ docs:build: mkdocs \(strict\): A reference to 'caching\.md' is included in the 'nav' configuration, which is not found in the documentation files/);
    expect(existsSync(ws.path(SITE))).toBe(false);
  });
});

describe('docs:preview in headless Chromium', () => {
  let ws: TempWorkspace;
  let preview: ChildProcess | undefined;
  let output = '';
  beforeAll(() => {
    ws = copyWorkspace({ prefix: 'lava-docs-preview' });
  });
  afterAll(() => {
    if (preview?.pid && preview.exitCode === null) process.kill(-preview.pid, 'SIGKILL');
    ws?.remove();
  });

  function chromium(args: string[]): string {
    const profile = ws.path('.chromium-profile');
    mkdirSync(profile, { recursive: true });
    // Run as root on a machine with no outside network: no sandbox, no GPU, nothing phoning home.
    const flags = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--user-data-dir=${profile}`,
    ];
    return execFileSync('chromium', [...flags, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  }

  it('serves the guide on a free localhost port, which Chromium renders with its title and a cfn parameter table', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...NX_ENV };
    preview = spawn(ws.path('node_modules/.bin/nx'), ['run', 'docs:preview', '--no-open'], {
      cwd: ws.root,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    preview.stdout?.on('data', (d) => (output += d));
    preview.stderr?.on('data', (d) => (output += d));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = /lava user guide served at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
        if (match) {
          clearInterval(timer);
          resolve(match[1]);
        } else if (preview?.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`docs:preview exited:\n${output}`));
        }
      }, 200);
    });
    expect(output).not.toMatch(/Not opening a browser|Could not open a browser/);

    const index = chromium(['--dump-dom', url]);
    expect(index).toMatch(/<title>lava build<\/title>/);

    const page = `${url}reference/cfn/lava-worker.html`;
    const dom = chromium(['--dump-dom', page]);
    expect(dom).toMatch(/<title>lava-worker - lava build<\/title>/);
    const table = /<table>[\s\S]*?<\/table>/g;
    const parameters = [...dom.matchAll(table)].map((m) => m[0]).find((t) => t.includes('<th>Parameter</th>'));
    expect(parameters).toBeDefined();
    expect(parameters).toContain('<code>WorkerName</code>');
    expect(parameters).toContain('<th>Allowed values</th>');

    const screenshot = ws.path('preview.png');
    chromium(['--window-size=1280,1600', `--screenshot=${screenshot}`, page]);
    const png = readFileSync(screenshot);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);
  });

  it('rebuilds a page edited while it serves (live reload)', async () => {
    const url = /served at (http:\/\/\S+\/)/.exec(output)?.[1] as string;
    appendFileSync(ws.path(PAGES, 'index.md'), '\nA sentence added while the preview runs.\n');
    await vi.waitFor(
      async () => expect(await (await fetch(url)).text()).toContain('A sentence added while the preview runs.'),
      { timeout: 60_000, interval: 500 },
    );
  });

  it('stops when nx is stopped, leaving nothing listening', async () => {
    const url = /served at (http:\/\/\S+\/)/.exec(output)?.[1];
    expect(url).toBeDefined();
    const exited = new Promise((resolve) => preview?.once('exit', resolve));
    process.kill(-(preview?.pid ?? 0), 'SIGINT');
    await exited;
    await expect(fetch(url as string)).rejects.toThrow();
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
    const page = `${PAGES}/concepts.md`;
    const lines = readFileSync(ws.path(page), 'utf8').split('\n').length;
    appendFileSync(ws.path(page), '\nThe builder is qwertyx.\n\n```bash\nzzyzxq --flag\n```\n\nRun `zzyzxq`.\n');
    const result = ws.nx(['run', 'docs:spell']);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain(`${page}:${lines + 1}: qwertyx`);
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
    expect(files).toContain('reference/cfn/lava-common.html');
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
    appendFileSync(ws.path(PAGES, 'ci.md'), '\nAn uncommitted line.\n');
    const result = ws.nx(['run', 'docs:publish']);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain(
      `✖ docs:publish: the work tree has uncommitted changes (${PAGES}/ci.md), so the site would not match a commit; run: git commit (or git stash) them first`,
    );
    expect(git(bare, 'rev-parse', 'gh-pages')).toBe(before);
  });
});
