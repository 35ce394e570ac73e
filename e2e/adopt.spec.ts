// adopt-lava on a small lava-shaped fixture tree: --dry-run lists the moves and
// touches nothing; a folder that is not a lava checkout is refused in one line.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyWorkspace, type TempWorkspace } from './support/workspace';

let ws: TempWorkspace;
let source: string;
beforeAll(() => {
  ws = copyWorkspace({ git: true, prefix: 'lava-adopt' });
  source = mkdtempSync(join(tmpdir(), 'lava-adopt-source-'));
  const files: Record<string, string> = {
    'lava/VERSION.json': '{"__version_num__": "9.0.0", "__version_name__": "Fixture"}\n',
    'lava/__init__.py': '',
    'setup.py': 'from setuptools import setup\nsetup()\n',
    'cfn/lava-common.cfn.json': '{}\n',
    'doc/user-guide/01-About.md': '# About\n',
    'etc/builders/debian12-py3.11.Dockerfile': 'FROM scratch\n',
    'external-packages/oracle/README.md': 'downloads\n',
    '.gitignore': '*.zip\ndoc/~*\n',
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(source, path)), { recursive: true });
    writeFileSync(join(source, path), content);
  }
  mkdirSync(join(source, 'bin'));
  symlinkSync('../lava', join(source, 'bin/lava'));
  mkdirSync(join(source, 'docker/packages'), { recursive: true });
  symlinkSync('../../external-packages/oracle/instantclient-basiclite-linux-x64.zip', join(source, 'docker/packages/instantclient-basiclite-linux-x64.zip'));
});
afterAll(() => {
  ws?.remove();
  if (source) rmSync(source, { recursive: true, force: true });
});

const status = () => execFileSync('git', ['status', '--porcelain'], { cwd: ws.root, encoding: 'utf8' });

describe('adopt-lava', () => {
  it('--dry-run lists every move, link and removed stand-in, and changes nothing', () => {
    const run = ws.nx(['g', './tools/executors:adopt-lava', `--source=${source}`, '--dry-run']);
    expect(run.exitCode, run.output).toBe(0);
    expect(run.stdout).toMatch(/^CREATE packages\/docs\/user-guide\/01-About\.md$/m);
    expect(run.stdout).toMatch(/^CREATE etc\/builders\/debian12-py3\.11\.Dockerfile$/m);
    expect(run.stdout).toMatch(/^UPDATE packages\/lava\/lava\/VERSION\.json$/m);
    expect(run.stdout).toMatch(/^LINK packages\/docker\/packages\/instantclient-basiclite-linux-x64\.zip -> \.\.\/\.\.\/\.\.\/external-packages\/oracle\/instantclient-basiclite-linux-x64\.zip$/m);
    expect(run.stdout).toMatch(/^DELETE packages\/README\.md$/m);
    expect(run.stdout).toMatch(/^UPDATE \.gitignore$/m);
    expect(status()).toBe('');
  });

  it('refuses a folder that is not a lava checkout with one line that says what to pass', () => {
    const run = ws.nx(['g', './tools/executors:adopt-lava', `--source=${tmpdir()}`]);
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain(`${tmpdir()} is not a lava checkout (no lava/VERSION.json); run: npx nx g ./tools/executors:adopt-lava --source=<your lava clone>`);
    expect(status()).toBe('');
  });
});
