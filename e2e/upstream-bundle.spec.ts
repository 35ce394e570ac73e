// The real lava tree's worker bundle and jinlava sdist, built by real nx in a throwaway
// workspace that adopted ../shared/upstream/lava, with packages from the real index (PyPI
// unless the user configured another): the bundle holds what make's etc/pkg.sh packed
// (its entry list taken from the real pkg.sh, run here on a copy of the tree), pylib/ is
// one resolution of both requirement files (every pin holds), the compiled modules are
// there and import with the system python; jinlava has setup.py sdist's entries and
// installs with the workspace's build constraints.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePath } from '../tools/executors/src/lib/python/bundle-name';
import { hostBundleParts } from '../tools/executors/src/plugins/worker-bundle';
import { adoptedWorkspace, UPSTREAM_LAVA, upstreamSkipReason } from './support/upstream';
import { cacheStatus, type TempWorkspace } from './support/workspace';

const skip = upstreamSkipReason();
const LAVA = 'packages/lava';
const INSTALLED = ['requirements.txt', 'requirements-extra.txt'];
const normalise = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '_');

/** `name==version` pins of a requirement file (markers and comments dropped). */
function pins(file: string): Array<{ name: string; version: string }> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .map((line) => /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;]+)/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[1], version: m[2] }));
}

const tarNames = (file: string) =>
  execFileSync('tar', ['-tjf', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
    .trim()
    .split('\n')
    .map((n) => n.replace(/\/$/, ''))
    .sort();

/** The Pythons the bundle must import with: the one it was built for, and Debian's own if it has the same X.Y. */
function systemPythons(): string[] {
  const xy = (python: string) => spawnSync(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' }).stdout?.trim();
  const pythons = ['python3'];
  if (existsSync('/usr/bin/python3') && xy('/usr/bin/python3') === xy('python3')) pythons.push('/usr/bin/python3');
  return pythons;
}

describe.skipIf(skip)(`the real lava tree's worker bundle and jinlava${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let ws: TempWorkspace;
  let scratch: string;
  let upstream: string;
  let bundle: string;
  let unpacked: string;

  beforeAll(() => {
    ws = adoptedWorkspace({ prefix: 'lava-upstream-bundle' });
    scratch = mkdtempSync(join(tmpdir(), 'upstream-bundle-'));
    // A writable copy of the real tree, where its own scripts run.
    upstream = join(scratch, 'lava');
    cpSync(UPSTREAM_LAVA, upstream, { recursive: true, verbatimSymlinks: true });
    execFileSync('chmod', ['-R', 'u+w', upstream]);
    const host = hostBundleParts('python3');
    bundle = ws.path(bundlePath({ version: '8.2.0', ...host }));
    unpacked = join(scratch, 'unpacked');
  }, 300_000);

  afterAll(() => {
    ws?.remove();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('builds worker-bundle:pkg from the real requirements, as on a fresh machine (no pip cache)', () => {
    // Empty pip and uv caches: cx_Oracle and PyGreSQL are really compiled, under the build constraints.
    const run = ws.nx(['run', 'worker-bundle:pkg'], { PIP_CACHE_DIR: join(scratch, 'pip-cache'), UV_CACHE_DIR: join(scratch, 'uv-cache') });
    expect(run.exitCode, run.output).toBe(0);
    expect(existsSync(bundle), run.output).toBe(true);
    execFileSync('mkdir', ['-p', unpacked]);
    execFileSync('tar', ['-xjf', bundle, '-C', unpacked]);
  }, 900_000);

  it('holds what make’s etc/pkg.sh packed, apart from pylib/’s contents', () => {
    // The real pkg.sh without -m: its entries with an empty pylib/.
    const made = join(scratch, 'make.tar.bz2');
    execFileSync('bash', ['etc/pkg.sh', '-f', made], { cwd: upstream, stdio: 'pipe' });
    const expected = tarNames(made);
    const ours = tarNames(bundle);
    expect(ours.filter((n) => !n.startsWith('pylib/'))).toEqual(expected);
    expect(ours.filter((n) => n.startsWith('etc'))).toEqual(['etc', 'etc/dyn-put-item', 'etc/jinja', 'etc/yaml2json']);
    expect(ours.filter((n) => /\.pyc$|__pycache__/.test(n))).toEqual([]);
  });

  it('resolves both requirement files together: every pin holds, one boto3 at 1.39.16', () => {
    const distInfos = readdirSync(join(unpacked, 'pylib')).filter((n) => n.endsWith('.dist-info'));
    expect(distInfos.filter((n) => /^boto3-/i.test(n))).toEqual(['boto3-1.39.16.dist-info']);
    const installed = new Set(distInfos.map((n) => normalise(n.replace(/\.dist-info$/, ''))));
    const missing = INSTALLED.flatMap((f) => pins(ws.path(LAVA, f)))
      .map((p) => `${p.name}-${p.version}`)
      .filter((p) => !installed.has(normalise(p)));
    expect(missing).toEqual([]);
  });

  it('has the compiled modules: cx_Oracle and PyGreSQL built here, pyodbc and pyarrow from wheels', () => {
    const pylib = join(unpacked, 'pylib');
    const so = (dir: string, prefix: string) => readdirSync(join(pylib, dir)).filter((n) => n.startsWith(prefix) && n.endsWith('.so'));
    expect(so('.', 'cx_Oracle.')).toHaveLength(1);
    expect(so('.', 'pyodbc.')).toHaveLength(1);
    expect(so('pg', '_pg.')).toHaveLength(1);
    expect(so('pyarrow', 'lib.')).toHaveLength(1);
  });

  it('imports every pinned top-level module with the system python (PYTHONPATH=pylib)', () => {
    const pylib = join(unpacked, 'pylib');
    const distInfos = readdirSync(pylib).filter((n) => n.endsWith('.dist-info'));
    const modules = new Set<string>();
    for (const pin of INSTALLED.flatMap((f) => pins(ws.path(LAVA, f)))) {
      const info = distInfos.find((n) => normalise(n).startsWith(`${normalise(pin.name)}_${normalise(pin.version)}`));
      expect(info, `${pin.name} ${pin.version}`).toBeDefined();
      const topLevel = join(pylib, info!, 'top_level.txt');
      const names = existsSync(topLevel) ? readFileSync(topLevel, 'utf8').split('\n').filter(Boolean) : [normalise(pin.name)];
      for (const name of names.map((n) => n.replace(/\//g, '.'))) {
        if (existsSync(join(pylib, name)) || readdirSync(pylib).some((n) => n === `${name}.py` || (n.startsWith(`${name}.`) && n.endsWith('.so')))) {
          modules.add(name);
        }
      }
    }
    expect([...modules]).toEqual(expect.arrayContaining(['boto3', 'cx_Oracle', 'pyodbc', 'pg', 'pyarrow', 'yaml', 'sqlalchemy']));
    const script = `import importlib, sys\nbad = []\nfor m in sys.argv[1:]:\n    try:\n        importlib.import_module(m)\n    except Exception as e:\n        bad.append(f"{m}: {e}")\nprint("\\n".join(bad))\nsys.exit(1 if bad else 0)\n`;
    for (const python of systemPythons()) {
      const result = spawnSync(python, ['-c', script, ...modules], { cwd: scratch, env: { ...process.env, PYTHONPATH: pylib }, encoding: 'utf8' });
      expect(result.status, `${python}: ${result.stdout}${result.stderr}`).toBe(0);
    }
  }, 120_000);

  it('is not rebuilt by a change to the rest of etc/ (pkg.sh never packed it)', () => {
    writeFileSync(ws.path(LAVA, 'etc/md-split'), `${readFileSync(ws.path(LAVA, 'etc/md-split'), 'utf8')}\n# touched\n`);
    const again = ws.nx(['run', 'worker-bundle:pkg--host']);
    expect(again.exitCode, again.output).toBe(0);
    expect(cacheStatus(again.output, 'worker-bundle:pkg--host')).toBe('local');
  }, 300_000);

  it('builds jinlava with the entries of the real setup.py sdist', () => {
    const run = ws.nx(['run', 'jinlava:build']);
    expect(run.exitCode, run.output).toBe(0);
    const python = ws.path('.venv/bin/python');
    const made = join(scratch, 'sdist');
    execFileSync(python, ['setup.py', '-q', 'sdist', '--dist-dir', made], { cwd: upstream, stdio: 'pipe' });
    const list = (file: string) => execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).trim().split('\n').map((n) => n.replace(/\/$/, '')).sort();
    const expected = list(join(made, 'jinlava-8.2.0.tar.gz'));
    expect(list(ws.path('dist/jinlava/jinlava-8.2.0.tar.gz'))).toEqual(expected);
  }, 300_000);

  it('installs jinlava into a fresh venv with the workspace’s build constraints, and imports it as lava', () => {
    const venv = join(scratch, 'venv');
    execFileSync('python3', ['-m', 'venv', '--without-pip', venv]);
    // The workspace's pinned pip installs for the fresh venv's interpreter, cx_Oracle built under the constraints.
    const install = spawnSync(
      ws.path('.venv/bin/python'),
      ['-m', 'pip', '--python', join(venv, 'bin/python'), 'install', '--disable-pip-version-check', '--no-input', '--no-compile',
        '--build-constraint', ws.path('tools/python/build-constraints.txt'), ws.path('dist/jinlava/jinlava-8.2.0.tar.gz')],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, PIP_CACHE_DIR: join(scratch, 'pip-cache-jinlava') } },
    );
    expect(install.status, install.stdout + install.stderr).toBe(0);
    const version = spawnSync(join(venv, 'bin/python'), ['-c', 'import lava, cx_Oracle; print(lava.__version_num__)'], { cwd: scratch, encoding: 'utf8' });
    expect(version.stdout.trim(), version.stderr).toBe('8.2.0');
  }, 600_000);
});

