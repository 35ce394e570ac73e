// jinlava:build with real nx and PyPA build: a standard sdist that pip installs
// into a fresh venv, importable as lava, reproducible, and cached (make's
// target name was wrong, so make rebuilt it every time).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheStatus, copyWorkspace, type TempWorkspace } from './support/workspace';

const SDIST = 'dist/jinlava/jinlava-8.2.0.tar.gz';
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

let a: TempWorkspace;
let b: TempWorkspace;
let scratch: string;
beforeAll(() => {
  a = copyWorkspace({ prefix: 'lava-jinlava-a' });
  b = copyWorkspace({ prefix: 'lava-jinlava-b-other-path' });
  scratch = mkdtempSync(join(tmpdir(), 'jinlava-e2e-'));
});
afterAll(() => {
  a?.remove();
  b?.remove();
  rmSync(scratch, { recursive: true, force: true });
});

describe('jinlava:build', () => {
  it('writes a standard sdist with the package data and requirement files make’s MANIFEST carried', () => {
    const run = a.nx(['run', 'jinlava:build']);
    expect(run.exitCode, run.output).toBe(0);
    const names = execFileSync('tar', ['-tzf', a.path(SDIST)], { encoding: 'utf8' }).trim().split('\n');
    expect(names).toEqual(
      expect.arrayContaining([
        'jinlava-8.2.0/PKG-INFO',
        'jinlava-8.2.0/setup.py',
        'jinlava-8.2.0/README.md',
        'jinlava-8.2.0/LICENCE.txt',
        'jinlava-8.2.0/requirements.txt',
        'jinlava-8.2.0/requirements-extra.txt',
        'jinlava-8.2.0/lava/VERSION.json',
        'jinlava-8.2.0/lava/schema/job.yaml',
        'jinlava-8.2.0/lava/handlers/__init__.py',
      ]),
    );
    expect(names.filter((n) => /\.pyc$|__pycache__/.test(n))).toEqual([]);
  });

  it('is a cache hit when nothing changed', () => {
    const again = a.nx(['run', 'jinlava:build']);
    expect(again.exitCode, again.output).toBe(0);
    expect(cacheStatus(again.output, 'jinlava:build')).toBe('local');
  });

  it('is byte-identical when built in another clone path', () => {
    const run = b.nx(['run', 'jinlava:build']);
    expect(run.exitCode, run.output).toBe(0);
    expect(sha256(b.path(SDIST))).toBe(sha256(a.path(SDIST)));
  });

  it('installs with pip into a fresh venv and imports as lava', () => {
    const venv = join(scratch, 'venv');
    execFileSync('python3', ['-m', 'venv', venv]);
    // As a user on a fresh machine would: the workspace's pinned pip, sdists built under its build constraints.
    const install = spawnSync(
      a.path('.venv/bin/python'),
      ['-m', 'pip', '--python', join(venv, 'bin/python'), 'install', '--disable-pip-version-check', '--no-input',
        '--build-constraint', a.path('tools/python/build-constraints.txt'), a.path(SDIST)],
      { encoding: 'utf8' },
    );
    expect(install.status, install.stdout + install.stderr).toBe(0);
    const outside = { cwd: scratch, encoding: 'utf8' as const };
    expect(execFileSync(join(venv, 'bin/python'), ['-c', 'import lava; print(lava.__version__)'], outside)).toBe('8.2.0\n');
    expect(execFileSync(join(venv, 'bin/lava'), ['--version'], outside)).toBe('lava 8.2.0 (Kilauea)\n');
    expect(execFileSync(join(venv, 'bin/python'), ['-c', 'import importlib.resources as r; print(r.files("lava").joinpath("schema/job.yaml").is_file())'], outside)).toBe('True\n');
  });

  it('is rebuilt under the new name when the version changes', () => {
    writeFileSync(b.path('packages/lava/lava/VERSION.json'), '{"__version_num__": "8.2.1", "__version_name__": "Kilauea"}\n');
    const run = b.nx(['run', 'jinlava:build']);
    expect(run.exitCode, run.output).toBe(0);
    expect(cacheStatus(run.output, 'jinlava:build')).toBe('miss');
    expect(existsSync(b.path('dist/jinlava/jinlava-8.2.1.tar.gz'))).toBe(true);
  });
});
