// Lambda zips for real: uv (pip on request) runs in the (fixture) amzn2023-py3.13 builder on
// linux/arm64 under qemu, against a local PEP 503 index on docker's bridge that also serves uv's
// wheels; the zips are opened, and uv's cache shared between the Lambdas is watched.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ELF_AARCH64, elfMachine, filesUnder, FIXTURE_BUILDERS, FIXTURE_NAMESPACE, skipDockerTests, startContainerIndex, useFixtureBuilders,
} from './support/docker';
import type { PypiIndex } from './support/pypi-index';
import { runNxAsync } from './support/nx-async';
import { cacheStatus, copyWorkspace, type TempWorkspace } from './support/workspace';

const skip = skipDockerTests();
const LAMBDAS = ['dispatch', 's3trigger', 'stop', 'metrics'];
const HANDLERS: Record<string, string[]> = { dispatch: ['dispatch.py'], s3trigger: ['s3event.py', 's3trigger.py'], stop: ['stop.py'], metrics: ['metrics.py'] };

function zipEntries(zip: string): string[] {
  return execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n');
}
function zipFile(zip: string, entry: string): Buffer {
  return execFileSync('unzip', ['-p', zip, entry], { maxBuffer: 64 * 1024 * 1024 });
}

describe.skipIf(skip)('lambda-<name>:build (real docker, qemu arm64, local index)', () => {
  let ws: TempWorkspace;
  let index: PypiIndex;
  let env: Record<string, string | undefined>;
  let buildCache: string;
  let version: string;
  // The index serves from this process: nx runs without blocking its event loop.
  const nx = (args: string[], e: Record<string, string | undefined>) => runNxAsync(ws.root, args, e);
  const zip = (name: string) => ws.path(`dist/lambda/${name}-${version}.zip`);
  const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
  const wheelFetches = (arch: string) => index.requests().filter((r) => r.method === 'GET' && r.path === `/files/tinyelf-1.0-py3-none-manylinux_2_17_${arch}.whl`).length;

  beforeAll(async () => {
    ws = copyWorkspace({ prefix: 'lava-lambdas' });
    useFixtureBuilders(ws);
    version = JSON.parse(readFileSync(ws.path('packages/lava/lava/VERSION.json'), 'utf8')).__version_num__;
    ({ index, env, buildCache } = await startContainerIndex(ws));
    // The real pins (jinja2, requests, …) need PyPI, which is unreachable here.
    for (const name of LAMBDAS) writeFileSync(ws.path(`packages/lambda/${name}/requirements.txt`), 'tinypure==1.0\ntinyelf==1.0\n');
  });
  afterAll(async () => {
    await index?.close();
    ws?.remove();
  });

  it('zips the handlers at the root, lava/ and the packages uv installed for arm64 (an aarch64 .so), without installer records', async () => {
    const result = await nx(['run', 'lambda-dispatch:build'], env);
    expect(result.exitCode, result.output).toBe(0);
    // uv's own account, from inside the builder; its cache for the builder and arch filled.
    expect(result.output).toMatch(/Using CPython 3\.13\.\d+ interpreter at: \/usr\/bin\/python3/);
    expect(result.output).toMatch(/Installed 2 packages/);
    expect(filesUnder(join(buildCache, 'uv/cache/amzn2023-py3.13-aarch64')).some((f) => f.includes('tinyelf'))).toBe(true);
    expect(zipEntries(zip('dispatch')).filter((e) => /\.dist-info\/(RECORD|INSTALLER|REQUESTED)$/.test(e) || e === '.lock')).toEqual([]);
    const entries = zipEntries(zip('dispatch'));
    expect(entries).toContain('dispatch.py');
    expect(entries).toContain('lava/__init__.py');
    expect(entries).toContain('lava/VERSION.json');
    expect(entries).toContain('tinypure/__init__.py');
    expect(entries).toContain('tinyelf/_native.so');
    expect(entries.filter((e) => e.endsWith('.pyc') || e.includes('__pycache__'))).toEqual([]);
    expect(elfMachine(zipFile(zip('dispatch'), 'tinyelf/_native.so'))).toBe(ELF_AARCH64);
    expect(index.requests().some((r) => r.path.startsWith('/simple/tinyelf'))).toBe(true);
    expect(statSync(zip('dispatch')).uid).toBe(process.getuid?.());
  });

  it('has a task graph of the lambda, its builder and the registry', async () => {
    const graph = JSON.parse((await nx(['run', 'lambda-dispatch:build', '--graph=stdout'], env)).stdout);
    expect(Object.keys(graph.tasks.tasks).sort()).toEqual(['builder-amzn2023-py3.13:build', 'lambda-dispatch:build', 'registry:serve']);
  });

  it('is a cache hit the second time, and byte-identical rebuilt with uv’s cache warm, which it reuses', async () => {
    // The first build ran with uv's cache cold (the test's own build cache).
    const first = readFileSync(zip('dispatch'));
    const fetched = wheelFetches('aarch64');
    const again = await nx(['run', 'lambda-dispatch:build'], env);
    expect(cacheStatus(again.output, 'lambda-dispatch:build')).toBe('local');
    rmSync(zip('dispatch'));
    const rebuilt = await nx(['run', 'lambda-dispatch:build', '--skip-nx-cache'], env);
    expect(rebuilt.exitCode, rebuilt.output).toBe(0);
    expect(readFileSync(zip('dispatch')).equals(first)).toBe(true);
    expect(wheelFetches('aarch64')).toBe(fetched);
  });

  it('still builds with --installer=pip: the builder’s own pip, the same zip', async () => {
    const first = sha256(zip('dispatch'));
    const pip = await nx(['run', 'lambda-dispatch:build', '--skip-nx-cache', '--installer=pip'], env);
    expect(pip.exitCode, pip.output).toBe(0);
    expect(pip.output).toContain('Successfully installed tinyelf-1.0 tinypure-1.0');
    expect(sha256(zip('dispatch'))).toBe(first);
  });

  it('builds all four; each zip holds its own handlers, lava/ and its packages', async () => {
    // From here on linux/amd64: the same code path without qemu's cost (arm64 is proven above).
    const nxJson = ws.path('nx.json');
    const plugin = '"./tools/executors/plugins/lambdas.js"';
    writeFileSync(nxJson, readFileSync(nxJson, 'utf8').replace(plugin, `{ "plugin": ${plugin}, "options": { "platform": "linux/amd64" } }`));
    const result = await nx(['run-many', '-t', 'build', '-p', 'lambda-*', '--parallel=4'], env);
    expect(result.exitCode, result.output).toBe(0);
    const built = Object.fromEntries(LAMBDAS.map((name) => [name, sha256(zip(name))]));
    // Four containers at once on one cold uv cache: none broke it, and a rebuild of all four
    // gets the same bytes without fetching a wheel again.
    const fetched = wheelFetches('x86_64');
    expect(fetched).toBeGreaterThanOrEqual(1);
    const again = await nx(['run-many', '-t', 'build', '-p', 'lambda-*', '--parallel=4', '--skip-nx-cache'], env);
    expect(again.exitCode, again.output).toBe(0);
    for (const name of LAMBDAS) expect(sha256(zip(name)), name).toBe(built[name]);
    expect(wheelFetches('x86_64')).toBe(fetched);
    for (const name of LAMBDAS) {
      const entries = zipEntries(zip(name));
      for (const handler of HANDLERS[name]) expect(entries).toContain(handler);
      const others = Object.entries(HANDLERS).filter(([n]) => n !== name).flatMap(([, h]) => h);
      expect(entries.filter((e) => others.includes(e))).toEqual([]);
      expect(entries).toContain('lava/__init__.py');
      expect(entries).toContain('tinyelf/_native.so');
    }
  });

  it('rebuilds only the lambda whose handler changed', async () => {
    appendFileSync(ws.path('packages/lambda/stop/stop.py'), '\n# edited\n');
    const result = await nx(['run-many', '-t', 'build', '-p', 'lambda-*'], env);
    expect(result.exitCode, result.output).toBe(0);
    expect(cacheStatus(result.output, 'lambda-stop:build')).toBe('miss');
    for (const name of ['dispatch', 's3trigger', 'metrics']) expect(cacheStatus(result.output, `lambda-${name}:build`)).toBe('local');
  });

  it('rebuilds the lambdas when their builder image changes, and not when the builder rebuilds to the same digest', async () => {
    const dockerfile = ws.path(`${FIXTURE_BUILDERS}/amzn2023-py3.13.Dockerfile`);
    appendFileSync(dockerfile, '# a comment: same image, same digest\n');
    const same = await nx(['run', 'lambda-dispatch:build'], env);
    expect(same.exitCode, same.output).toBe(0);
    expect(cacheStatus(same.output, 'builder-amzn2023-py3.13:build')).toBe('miss');
    expect(cacheStatus(same.output, 'lambda-dispatch:build')).toBe('local');
    appendFileSync(dockerfile, `LABEL org.lava.test="${Date.now()}"\n`);
    const changed = await nx(['run', 'lambda-dispatch:build'], env);
    expect(changed.exitCode, changed.output).toBe(0);
    expect(cacheStatus(changed.output, 'lambda-dispatch:build')).toBe('miss');
  });

  it('fails in one line naming the builder target when the pinned image vanished from the registry', async () => {
    const pinned = readFileSync(ws.path('dist/builders/amzn2023-py3.13/image.digest'), 'utf8').trim();
    const digest = pinned.split('@')[1];
    const deleted = await fetch(`http://127.0.0.1:5001/v2/${FIXTURE_NAMESPACE}/amzn2023-py3.13/manifests/${digest}`, { method: 'DELETE' });
    expect(deleted.status).toBe(202);
    appendFileSync(ws.path('packages/lambda/metrics/metrics.py'), '\n# edited\n');
    const result = await nx(['run', 'lambda-metrics:build'], env);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain(
      `✖ lambda-metrics:build: builder image localhost:5001/${FIXTURE_NAMESPACE}/amzn2023-py3.13@${digest} is not in the registry on localhost:5001; run: npx nx run builder-amzn2023-py3.13:build --skip-nx-cache`,
    );
    expect((await nx(['run', 'builder-amzn2023-py3.13:build', '--skip-nx-cache'], env)).exitCode).toBe(0);
    const fixed = await nx(['run', 'lambda-metrics:build'], env);
    expect(fixed.exitCode, fixed.output).toBe(0);
  });

  it.each([
    [['--runtime=amzn2099-py3.99'], '✖ lambda-stop:build: unknown builder "amzn2099-py3.99"; known: amzn2023-py3.13, debian13-py3.13, rocky9-py3.9; run: ls etc/builders'],
    [['--platform=sparc64'], '✖ lambda-stop:build: unknown platform "sparc64"'],
  ])('fails in one line for %j, leaving no zip', async (args, line) => {
    rmSync(zip('stop'), { force: true });
    const result = await nx(['run', 'lambda-stop:build', '--skip-nx-cache', ...args], env);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain(line);
    expect(() => statSync(zip('stop'))).toThrow();
  });
});
