// worker-bundle:pkg with real nx and real pip, from a real local index on
// 127.0.0.1 behind basic auth: what the bundle holds, that two cold builds in
// two clone paths are byte-identical, that it runs with the system python3
// alone, that the index credentials leak nowhere, and how failures look.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../tools/executors/src/lib/core/serve';
import { startPypiIndex, tinyWheels, type PypiIndex } from './support/pypi-index';
import { cacheStatus, copyWorkspace, type TempWorkspace } from './support/workspace';

const USER = 'lava-ci';
const PASSWORD = 's3cr3t-PIP-8d1e';
const OS = execFileSync('sh', ['-c', '. /etc/os-release; echo "$ID${VERSION_ID%%.*}"'], { encoding: 'utf8' }).trim();
const PY = execFileSync('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' }).trim();
const ARCH = execFileSync('uname', ['-m'], { encoding: 'utf8' }).trim();
const BUNDLE = `dist/pkg/${OS}/lava-8.2.0-${OS}-py${PY}-${ARCH}.tar.bz2`;

let scratch: string;
let index: PypiIndex;
let a: TempWorkspace;
let b: TempWorkspace;
const env = () => ({ PIP_INDEX_URL: index.urlWith(USER, PASSWORD) });

function useTinyRequirements(ws: TempWorkspace): void {
  writeFileSync(ws.path('packages/lava/requirements.txt'), 'tinypure==1.0\n');
  writeFileSync(ws.path('packages/lava/requirements-extra.txt'), 'tinyplat==2.0\n');
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const listing = (file: string) => execFileSync('tar', ['-tjf', file], { encoding: 'utf8' }).trim().split('\n');

/** Every file under `dir` whose bytes contain `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const info = statSync(path, { throwIfNoEntry: false });
      if (!info) continue;
      if (info.isDirectory()) walk(path);
      else if (info.isFile() && readFileSync(path).includes(needle)) found.push(path);
    }
  };
  walk(dir);
  return found;
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'worker-bundle-e2e-'));
  index = await startPypiIndex({ wheels: await tinyWheels(join(scratch, 'wheels')), credentials: { user: USER, password: PASSWORD } });
  a = copyWorkspace({ prefix: 'lava-bundle-a' });
  b = copyWorkspace({ prefix: 'lava-bundle-b-other-path' });
  useTinyRequirements(a);
  useTinyRequirements(b);
});

afterAll(async () => {
  await index?.close();
  a?.remove();
  b?.remove();
  rmSync(scratch, { recursive: true, force: true });
});

describe('worker-bundle:pkg from a local index', () => {
  let output: string;

  it('installs the index’s wheels into pylib/ and the index log shows pip fetched them', () => {
    const run = a.nx(['run', 'worker-bundle:pkg'], env());
    output = run.output;
    expect(run.exitCode, run.output).toBe(0);
    const names = listing(a.path(BUNDLE));
    expect(names).toEqual(
      expect.arrayContaining(['pylib/tinypure/__init__.py', 'pylib/tinyplat/_native.abi3.so', 'pylib/bin/tinypure', 'bin/lava', 'lava/version.py', 'install.sh', 'lava-run']),
    );
    expect(names.filter((n) => /\.pyc$|__pycache__|\/RECORD$|\/INSTALLER$|direct_url\.json$/.test(n))).toEqual([]);
    const fetched = index.requests().filter((r) => r.status === 200 && r.user === USER).map((r) => r.path);
    expect(fetched).toEqual(expect.arrayContaining(['/simple/tinypure/', '/simple/tinyplat/']));
    expect(fetched.filter((p) => p.startsWith('/files/')).length).toBeGreaterThanOrEqual(2);
  });

  it('never shows the index credentials: terminal output, the nx cache, the archive', () => {
    expect(output).toContain(`http://***@127.0.0.1:${index.port}/simple`);
    expect(output).not.toContain(PASSWORD);
    expect(filesContaining(a.path('.nx'), PASSWORD)).toEqual([]);
    const tar = execFileSync('bzip2', ['-dc', a.path(BUNDLE)]);
    expect(tar.includes(PASSWORD)).toBe(false);
    expect(tar.includes(USER)).toBe(false);
  });

  it('is byte-identical when built cold in another clone path', () => {
    const run = b.nx(['run', 'worker-bundle:pkg'], env());
    expect(run.exitCode, run.output).toBe(0);
    const [first, second] = [sha256(a.path(BUNDLE)), sha256(b.path(BUNDLE))];
    console.log(`cold bundle sha256: ${a.root}: ${first}; ${b.root}: ${second}`);
    expect(second).toBe(first);
  });

  it('runs unpacked into an empty directory with the system python3 and nothing else', () => {
    const dir = mkdtempSync(join(scratch, 'unpacked-'));
    execFileSync('tar', ['-xjf', a.path(BUNDLE), '-C', dir]);
    const bare = { env: { PATH: '/usr/bin:/bin' }, encoding: 'utf8' as const };
    expect(execFileSync(join(dir, 'lava-run'), ['lava-worker', '--version'], bare)).toBe('lava 8.2.0 (Kilauea)\n');
    expect(execFileSync('python3', [join(dir, 'lava/version.py'), '--all'], bare)).toBe('8.2.0 (Kilauea)\n');
    const check = spawnSync(join(dir, 'lava-run'), ['lava-worker', '--check'], bare);
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/^ok {3}tinypure 1\.0 \(tinypure\)$/m);
    expect(check.stdout).toMatch(/^ok {3}tinyplat 2\.0 \(tinyplat\)$/m);
  });

  it('installs with its install.sh and runs through the linked scripts', () => {
    const prefix = join(scratch, 'opt-lava');
    const bindir = join(scratch, 'usr-local-bin');
    const install = spawnSync('bash', [a.path('packages/lava/install.sh'), '-p', prefix, '-b', bindir, a.path(BUNDLE)], { encoding: 'utf8' });
    expect(install.status, install.stderr).toBe(0);
    expect(install.stdout).toContain(`Installed lava 8.2.0 (Kilauea) in ${prefix}`);
    expect(execFileSync(join(bindir, 'lava-worker'), ['--version'], { env: { PATH: '/usr/bin:/bin' }, encoding: 'utf8' })).toBe('lava 8.2.0 (Kilauea)\n');
  });

  it('is a cache hit when nothing changed, and a miss when PIP_INDEX_URL changes', () => {
    const again = a.nx(['run', 'worker-bundle:pkg'], env());
    expect(again.exitCode, again.output).toBe(0);
    expect(cacheStatus(again.output, 'worker-bundle:pkg--host')).toBe('local');
    const otherUrl = `http://${USER}:${PASSWORD}@localhost:${index.port}/simple`;
    const changed = a.nx(['run', 'worker-bundle:pkg'], { PIP_INDEX_URL: otherUrl });
    expect(changed.exitCode, changed.output).toBe(0);
    expect(cacheStatus(changed.output, 'worker-bundle:pkg--host')).toBe('miss');
    expect(changed.output).not.toContain(PASSWORD);
  });
});

describe('worker-bundle:pkg failures', () => {
  it('an unreachable index: one line naming the redacted index and the package, non-zero, nothing in dist/pkg', async () => {
    rmSync(a.path('dist'), { recursive: true, force: true });
    const port = await freePort();
    const run = a.nx(['run', 'worker-bundle:pkg', '--skip-nx-cache'], { PIP_INDEX_URL: `http://${USER}:${PASSWORD}@127.0.0.1:${port}/simple`, PIP_RETRIES: '1' });
    expect(run.exitCode).not.toBe(0);
    const lines = run.output.split('\n').filter((l) => l.startsWith('✖'));
    // uv (the default installer) asks for every project at once: whichever fails first is named, with its pin.
    expect(lines).toHaveLength(1);
    expect(lines[0].replace(/tinyplat==2\.0/, 'tinypure==1.0')).toBe(
      `✖ worker-bundle:pkg--host: uv could not get tinypure==1.0 from http://***@127.0.0.1:${port}/simple (the index is unreachable); run: check PIP_INDEX_URL or the index-url of \`python3 -m pip config list\`, and the pins in packages/lava/requirements.txt packages/lava/requirements-extra.txt`,
    );
    expect(run.output).not.toContain(PASSWORD);
    expect(existsSync(a.path('dist/pkg'))).toBe(false);
  });

  it('a wrong index password: one line saying the index refused it, the password nowhere', () => {
    const wrong = 'wrong-PW-71c2';
    const run = a.nx(['run', 'worker-bundle:pkg', '--skip-nx-cache'], { PIP_INDEX_URL: index.urlWith(USER, wrong) });
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain(
      `✖ worker-bundle:pkg--host: uv could not get tinypure==1.0 from http://***@127.0.0.1:${index.port}/simple (the index refused the credentials: HTTP 401)`,
    );
    expect(run.output).not.toContain(wrong);
    expect(existsSync(a.path('dist/pkg'))).toBe(false);
  });

  it('two requirement files that pin one package differently: one line naming both, the index not blamed', () => {
    writeFileSync(b.path('packages/lava/requirements-extra.txt'), 'tinyplat==2.0\ntinypure==1.1\n');
    const run = b.nx(['run', 'worker-bundle:pkg', '--skip-nx-cache'], env());
    writeFileSync(b.path('packages/lava/requirements-extra.txt'), 'tinyplat==2.0\n');
    expect(run.exitCode).not.toBe(0);
    const lines = run.output.split('\n').filter((l) => l.startsWith('✖'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^✖ worker-bundle:pkg--host: the requirements conflict: packages\/lava\/requirements\.txt:1 tinypure==1\.0 and packages\/lava\/requirements-extra\.txt:2 tinypure==1\.1 \(.*\); run: /,
    );
    expect(lines[0]).not.toMatch(/index/);
  });

  it('a missing requirement file is named before anything runs', () => {
    rmSync(b.path('packages/lava/requirements-extra.txt'));
    const run = b.nx(['run', 'worker-bundle:pkg', '--skip-nx-cache'], env());
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain(
      '✖ worker-bundle:pkg--host: requirement file missing: packages/lava/requirements-extra.txt; run: git checkout -- packages/lava/requirements-extra.txt',
    );
    writeFileSync(b.path('packages/lava/requirements-extra.txt'), 'tinyplat==2.0\n');
  });

  it('a runtime this host cannot build names the host’s runtime', () => {
    const run = b.nx(['run', 'worker-bundle:pkg', '--skip-nx-cache', `--runtime=${OS}-py3.99`], env());
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain(`✖ worker-bundle:pkg--host: runtime ${OS}-py3.99 cannot be built on this host (python3 here is Python ${PY}, not 3.99; host runtime is ${OS}-py${PY})`);
  });

  it('no python3 says what to install', () => {
    const run = b.nx(['run', 'worker-bundle:pkg', '--skip-nx-cache', '--python=python3-lava-missing'], env());
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain('✖ worker-bundle:pkg--host: python3-lava-missing not found on PATH; run: apt-get install python3');
  });
});

describe('worker-bundle:pkg with the real pinned requirements (the index pip is configured with)', () => {
  it('bundles compiled extensions that import with the system python3 alone', () => {
    const ws = copyWorkspace({ prefix: 'lava-bundle-pypi' });
    try {
      const run = ws.nx(['run', 'worker-bundle:pkg']);
      expect(run.exitCode, run.output).toBe(0);
      const names = listing(ws.path(BUNDLE));
      expect(names.filter((n) => n.endsWith('.so')).length).toBeGreaterThanOrEqual(2);
      expect(names).toEqual(expect.arrayContaining([expect.stringMatching(/^pylib\/yaml\/_yaml\..*\.so$/), expect.stringMatching(/^pylib\/markupsafe\/_speedups\..*\.so$/)]));
      const dir = mkdtempSync(join(scratch, 'pypi-unpacked-'));
      execFileSync('tar', ['-xjf', ws.path(BUNDLE), '-C', dir]);
      const check = spawnSync(join(dir, 'lava-run'), ['lava-worker', '--check'], { env: { PATH: '/usr/bin:/bin' }, encoding: 'utf8' });
      expect(check.status, check.stdout + check.stderr).toBe(0);
      const pinned = readFileSync(ws.path('packages/lava/requirements.txt'), 'utf8') + readFileSync(ws.path('packages/lava/requirements-extra.txt'), 'utf8');
      const names2 = pinned.split('\n').map((l) => l.split('#')[0].trim()).filter(Boolean).map((l) => l.split('==')[0]);
      for (const name of names2) expect(check.stdout).toMatch(new RegExp(`^ok {3}${name} `, 'm'));
    } finally {
      ws.remove();
    }
  });
});
