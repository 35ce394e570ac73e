// Adopting the real lava tree (../shared/upstream/lava) into a throwaway copy of the
// workspace: every real file lands where DESIGN's layout puts it, links reach the same
// files as before, the graph builds, and a second adoption changes nothing.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adoptedWorkspace, UPSTREAM_LAVA, upstreamSkipReason } from './support/upstream';
import type { TempWorkspace } from './support/workspace';

const skip = upstreamSkipReason();

const MAPPED: Record<string, string> = {
  'etc/builders': 'etc/builders',
  'external-packages': 'external-packages',
  cfn: 'packages/cfn',
  lambda: 'packages/lambda',
  doc: 'packages/docs',
  'dev-tools': 'packages/dev-tools',
  docker: 'packages/docker',
  ami: 'packages/ami',
};
/** Written out here, apart from lib/workspace/adopt.ts, so the test does not check the mapping against itself. */
function expectedPath(real: string): string {
  const hit = Object.keys(MAPPED).find((dir) => real === dir || real.startsWith(`${dir}/`));
  return hit ? MAPPED[hit] + real.slice(hit.length) : `packages/lava/${real}`;
}

function realFiles(dir = ''): string[] {
  return readdirSync(join(UPSTREAM_LAVA, dir), { withFileTypes: true }).flatMap((e) => {
    const path = dir ? `${dir}/${e.name}` : e.name;
    return e.isDirectory() ? realFiles(path) : [path];
  });
}

describe.skipIf(skip)('the real lava tree, adopted', () => {
  let ws: TempWorkspace;
  beforeAll(() => {
    ws = adoptedWorkspace();
  });
  afterAll(() => ws?.remove());

  it('puts every real file at its workspace path, and the stand-ins are gone', () => {
    const missing = realFiles()
      .filter((f) => f !== '.gitignore')
      .filter((f) => !lstatSync(ws.path(expectedPath(f)), { throwIfNoEntry: false }));
    expect(missing).toEqual([]);
    expect(existsSync(ws.path('packages/README.md'))).toBe(false);
    const tracked = execFileSync('git', ['ls-files'], { cwd: ws.root, encoding: 'utf8' }).split('\n');
    // Nothing of the real tree is left out of the commit, not even the links its own .gitignore matches (*.zip).
    const untracked = realFiles()
      .filter((f) => f !== '.gitignore')
      .map(expectedPath)
      .filter((f) => !tracked.includes(f));
    expect(untracked).toEqual([]);
    expect(readFileSync(ws.path('packages/lava/lava/VERSION.json'), 'utf8')).toBe(readFileSync(join(UPSTREAM_LAVA, 'lava/VERSION.json'), 'utf8'));
  });

  it('makes links that reach the same files as in the real tree', () => {
    const link = (path: string) => execFileSync('readlink', [ws.path(path)], { encoding: 'utf8' }).trim();
    expect(link('packages/lava/bin/lava')).toBe('../lava');
    expect(link('packages/docker/packages/instantclient-basiclite-linux-x64.zip')).toBe('../../../external-packages/oracle/instantclient-basiclite-linux-x64.zip');
    expect(link('packages/ami/deploy')).toBe('../lava/deploy');
    expect(relative(ws.root, realpathSync(ws.path('packages/ami/deploy')))).toBe('packages/lava/deploy');
    expect(relative(ws.root, realpathSync(ws.path('packages/docs/mkdocs/docs/img')))).toBe('packages/docs/img');
    const template = 'packages/lava/lava/resources/cookiecutter/{{cookiecutter.project_dir}}/bin';
    expect(relative(ws.root, realpathSync(ws.path(template, 'jinja')))).toBe('packages/lava/etc/jinja');
    expect(relative(ws.root, realpathSync(ws.path(template, 'lava-version')))).toBe('packages/lava/bin/lava-version');
  });

  it('keeps the real .gitignore, its anchored paths moved', () => {
    const ignore = readFileSync(ws.path('.gitignore'), 'utf8');
    expect(ignore).toContain('/packages/docker/os/*/Dockerfile.base');
    expect(ignore).toContain('/packages/docs/~*');
    expect(ignore).toContain('node_modules'); // the workspace's own entries stay
  });

  it('builds a graph that lists the real builders, lambdas and artefacts', () => {
    const show = ws.nx(['show', 'projects', '--json']);
    expect(show.exitCode, show.output).toBe(0);
    const projects: string[] = JSON.parse(show.stdout);
    // Every real builder but py3.8, which nx.json leaves out: its Python is below setup.py's python_requires.
    const builders = readdirSync(join(UPSTREAM_LAVA, 'etc/builders'))
      .filter((f) => f.endsWith('.Dockerfile'))
      .map((f) => `builder-${f.replace(/\.Dockerfile$/, '')}`);
    expect(builders).toContain('builder-amzn2023-py3.8');
    expect(projects.filter((p) => p.startsWith('builder-')).sort()).toEqual(builders.filter((b) => b !== 'builder-amzn2023-py3.8').sort());
    expect(projects).toEqual(expect.arrayContaining(['lambda-dispatch', 'lambda-s3trigger', 'lambda-stop', 'lambda-metrics']));
    expect(projects).toEqual(expect.arrayContaining(['cfn', 'worker-bundle', 'jinlava', 'job-framework', 'docs']));
  });

  it('is a no-op the second time, and refuses a different tree', () => {
    const again = ws.nx(['g', './tools/executors:adopt-lava', `--source=${UPSTREAM_LAVA}`]);
    expect(again.exitCode, again.output).toBe(0);
    expect(again.output).toContain('already adopted here: nothing to do');
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: ws.root, encoding: 'utf8' })).toBe('');

    const other = mkdtempSync(join(tmpdir(), 'lava-other-tree-'));
    try {
      cpSync(UPSTREAM_LAVA, other, { recursive: true, verbatimSymlinks: true });
      execFileSync('chmod', ['-R', 'u+w', other]);
      writeFileSync(join(other, 'lava/VERSION.json'), '{"__version_num__": "8.3.0", "__version_name__": "Next"}\n');
      const refused = ws.nx(['g', './tools/executors:adopt-lava', `--source=${other}`]);
      expect(refused.exitCode).not.toBe(0);
      expect(refused.output).toMatch(/already holds an adopted lava tree .* differs from it in 1 file\(s\)/);
      expect(execFileSync('git', ['status', '--porcelain'], { cwd: ws.root, encoding: 'utf8' })).toBe('');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
