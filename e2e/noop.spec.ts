// A no-op costs no process: making the project graph again starts no Python (the host's X.Y is
// asked once per interpreter), and python-env:init, when the environment matches its
// requirements, is a cache hit; a missing environment is never taken for a present one.
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveInterpreter } from '../tools/executors/src/lib/python/interpreter';
import { cacheStatus, copyWorkspace, type TempWorkspace } from './support/workspace';

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
