// A no-op costs no process: making the project graph again starts no Python (the host's X.Y is
// asked once per interpreter), and python-env:init, when the environment matches its
// requirements, is a cache hit; a missing environment is never taken for a present one.
// ./build.sh's install step, with nothing changed, starts no package manager and no nx; an nx
// command through the daemon loads no TypeScript compiler.
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveInterpreter } from '../tools/executors/src/lib/python/interpreter';
import { cacheStatus, copyWorkspace, NX_ENV, type TempWorkspace } from './support/workspace';

describe('no-op: nothing started when nothing changed', () => {
  let ws: TempWorkspace;
  let bin: string;
  let log: string;

  beforeAll(() => {
    ws = copyWorkspace({ git: true, prefix: 'lava-noop' });
    // A python3 that records each start, ahead of the real one on PATH.
    bin = ws.path('tmp-bin');
    log = ws.path('tmp-python-starts.log');
    mkdirSync(bin);
    writeFileSync(join(bin, 'python3'), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${resolveInterpreter('python3')}' "$@"\n`);
    chmodSync(join(bin, 'python3'), 0o755);
  }, 120_000);

  afterAll(() => ws?.remove());

  const starts = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);
  const env = () => ({ PATH: `${bin}:${process.env.PATH}` });

  it('asks the host python3 its version once, then never again until the interpreter changes', () => {
    const first = ws.nx(['show', 'projects'], env());
    expect(first.exitCode, first.output).toBe(0);
    expect(first.stdout).toContain('worker-bundle');
    expect(starts()).toHaveLength(1);
    for (let i = 0; i < 2; i++) expect(ws.nx(['show', 'projects'], env()).exitCode).toBe(0);
    expect(starts()).toHaveLength(1);
    // The same path, another binary (an upgrade in place): asked again.
    appendFileSync(join(bin, 'python3'), '# upgraded\n');
    utimesSync(join(bin, 'python3'), new Date(), new Date(Date.now() + 10_000));
    expect(ws.nx(['show', 'projects'], env()).exitCode).toBe(0);
    expect(starts()).toHaveLength(2);
    // The graph says what it asked: this host's runtime in the bundle's name.
    const pkg = ws.nx(['show', 'project', 'worker-bundle', '--json'], env());
    expect(pkg.stdout).toMatch(/-py3\.\d+-(x86_64|aarch64)\.tar\.bz2/);
  }, 300_000);

  it('python-env:init is a cache hit while the environment matches, and runs when it is gone', () => {
    // A closed index: a run that really installs fails fast instead of reaching the network.
    const closed = { PIP_INDEX_URL: 'http://127.0.0.1:9/simple', PIP_RETRIES: '0', PIP_TIMEOUT: '2' };
    const first = ws.nx(['run', 'python-env:init'], closed);
    expect(first.exitCode, first.output).toBe(0);
    expect(first.output).toContain('is up to date');
    const second = ws.nx(['run', 'python-env:init'], closed);
    expect(second.exitCode, second.output).toBe(0);
    expect(cacheStatus(second.output, 'python-env:init')).toBe('local');
    // The environment gone (the link to the shared one, here): never a cache hit.
    rmSync(ws.path('.venv'));
    const gone = ws.nx(['run', 'python-env:init'], closed);
    expect(cacheStatus(gone.output, 'python-env:init')).toBe('miss');
    expect(gone.exitCode, gone.output).not.toBe(0);
    expect(existsSync(ws.path('.venv'))).toBe(false);
  }, 300_000);
});

describe('install.sh with nothing changed', () => {
  let ws: TempWorkspace;
  let log: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    ws = copyWorkspace({ prefix: 'lava-install' });
    // dpkg-query, npm and node (nx's interpreter) that record each start, ahead of the real ones.
    const bin = ws.path('tmp-bin');
    log = ws.path('tmp-starts.log');
    mkdirSync(bin);
    for (const tool of ['dpkg-query', 'npm', 'node']) {
      const real = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      // One line per start (dpkg-query's format argument holds newlines).
      writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" | tr '\\n' ' ' >> '${log}'; echo >> '${log}'\n${tool === 'npm' ? 'exit 1' : `exec '${real}' "$@"`}\n`);
      chmodSync(join(bin, tool), 0o755);
    }
    // As in a checkout whose node_modules was installed after its lock file was written.
    utimesSync(ws.path('package-lock.json'), new Date('2000-01-01'), new Date('2000-01-01'));
    env = { ...process.env, ...NX_ENV, PATH: `${bin}:${process.env.PATH}`, PIP_INDEX_URL: 'http://127.0.0.1:9/simple' };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  }, 120_000);
  afterAll(() => ws?.remove());

  const install = () => {
    rmSync(log, { force: true });
    const r = spawnSync('bash', ['tools/setup/install.sh'], { cwd: ws.root, env, encoding: 'utf8' });
    const starts = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
    return { status: r.status, output: `${r.stdout}\n${r.stderr}`, starts };
  };

  it('asks dpkg once, then starts nothing until the package list, the lock file or .venv changes', () => {
    const first = install();
    expect(first.status, first.output).toBe(0);
    expect(first.starts.filter((s) => s.startsWith('dpkg-query'))).toHaveLength(1);
    expect(first.starts.filter((s) => !s.startsWith('dpkg-query'))).toEqual([]);
    expect(install()).toMatchObject({ status: 0, starts: [] });

    // The same lock file written again (a checkout): no npm.
    utimesSync(ws.path('package-lock.json'), new Date(), new Date(Date.now() + 5_000));
    expect(install()).toMatchObject({ status: 0, starts: [] });
    utimesSync(ws.path('tools/setup/apt-packages.txt'), new Date(), new Date());
    expect(install().starts.map((s) => s.split(' ')[0])).toEqual(['dpkg-query']);
    expect(install().starts).toEqual([]);

    // Another lock file while node_modules links to another checkout's: refused in one line, npm never started.
    appendFileSync(ws.path('package-lock.json'), '\n');
    const changed = install();
    expect(changed.status).not.toBe(0);
    expect(changed.output).toMatch(/✖ node_modules links to .*; run: npm ci there/);
    expect(changed.starts).toEqual([]);
  }, 120_000);

  it('runs python-env:init when .venv is gone', () => {
    const lock = readFileSync(ws.path('package-lock.json'), 'utf8').replace(/\n$/, '');
    writeFileSync(ws.path('package-lock.json'), lock);
    utimesSync(ws.path('package-lock.json'), new Date('2000-01-01'), new Date('2000-01-01'));
    rmSync(ws.path('.venv'));
    const gone = install();
    expect(gone.starts.some((s) => s.startsWith('node ') && s.includes('python-env:init')), gone.starts.join('\n')).toBe(true);
    // The closed index: the install fails, and says so.
    expect(gone.status).not.toBe(0);
  }, 300_000);
});

describe('an nx command through the daemon', () => {
  let ws: TempWorkspace;
  beforeAll(() => {
    ws = copyWorkspace({ git: true, prefix: 'lava-daemon' });
  }, 120_000);
  afterAll(() => {
    ws?.nx(['daemon', '--stop'], { NX_DAEMON: 'true' });
    ws?.remove();
  });

  it('loads no TypeScript compiler to find our executors (their schemas are named by source)', () => {
    // Records, in each node process, a load of the typescript package.
    const hook = ws.path('tmp-ts-hook.js');
    const log = ws.path('tmp-ts-loads.log');
    writeFileSync(
      hook,
      `const M = require('module'); const load = M._load; M._load = function (request) { if (/node_modules\\/typescript\\//.test(request)) require('fs').appendFileSync(${JSON.stringify(log)}, process.argv.slice(1).join(' ') + '\\n'); return load.apply(this, arguments); };\n`,
    );
    const env = { NX_DAEMON: 'true', NODE_OPTIONS: `--require ${hook}` };
    const args = ['run-many', '-t', 'build', '-p', 'cfn', '--output-style=static'];
    // The first command starts the daemon (Nx reads tsconfig for its node arguments, once).
    const first = ws.nx(args, env);
    expect(first.exitCode, first.output).toBe(0);
    rmSync(log, { force: true });
    const run = ws.nx(args, env);
    expect(run.exitCode, run.output).toBe(0);
    expect(cacheStatus(run.output, 'cfn:build')).toBe('local');
    const loads = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('run-many')) : [];
    expect(loads).toEqual([]);
  }, 300_000);
});
