// Real nx 24 against the real cache server (tools/cache-server, started with
// its documented command) on 127.0.0.1, in throwaway copies of this workspace,
// with this workspace's cacheable targets (cfn:build, cfn:doc,
// worker-bundle:pkg). nx runs asynchronously because the fault proxy and the
// package index live in this process.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../tools/cache-server/src/testing/http';
import {
  createBucket,
  MOTO_CREDENTIALS,
  startCacheServer,
  startFaultProxy,
  startMoto,
  type CacheServerProcess,
  type FaultProxy,
  type RunningProcess,
} from '../tools/cache-server/src/testing/processes';
import { runNxAsync } from './support/nx-async';
import { startPypiIndex, tinyWheels, type PypiIndex } from './support/pypi-index';
import { cacheStatus, copyWorkspace, WORKSPACE_ROOT, type NxResult, type TempWorkspace } from './support/workspace';

const RW = 'rw-e2e-token-5c1f0b7d2a9e4c36';
const RO = 'ro-e2e-token-8d2e6a4b1f7c9e05';
const CFN = ['run-many', '-t', 'build', 'doc', '-p', 'cfn', '--output-style=static'];

const scratch: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function remoteEnv(server: { url: string }, token: string | undefined): Record<string, string | undefined> {
  return { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: server.url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: token };
}

/** What a fresh clone has: no local cache, no task history, no dist. */
function wipeLocal(ws: TempWorkspace): void {
  for (const dir of ['.nx/cache', '.nx/workspace-data', 'dist']) rmSync(ws.path(dir), { recursive: true, force: true });
}

/** Every file under `dir`, relative path → bytes. */
function snapshot(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return files;
}

/** The server prints its request log after answering: give it a moment to arrive. */
async function settle(server: CacheServerProcess) {
  let last = -1;
  while (last !== server.output().length) {
    last = server.output().length;
    await new Promise((r) => setTimeout(r, 150));
  }
  return server.requests();
}

function expectOk(run: NxResult): void {
  expect(run.exitCode, run.output).toBe(0);
}

describe('remote cache on the filesystem backend', () => {
  let ws: TempWorkspace;
  let server: CacheServerProcess;
  let store: string;
  const entries = () => readdirSync(join(store, 'entries')).flatMap((d) => readdirSync(join(store, 'entries', d)));

  beforeAll(async () => {
    store = tempDir('lava-cache-store-');
    server = await startCacheServer({ CACHE_SERVER_DIR: store, CACHE_SERVER_READ_WRITE_TOKEN: RW, CACHE_SERVER_READ_ONLY_TOKEN: RO });
    ws = copyWorkspace({ prefix: 'lava-remote-cache' });
  });
  afterAll(async () => {
    await server?.stop();
    ws?.remove();
  });

  it('stores every task of a cold run (PUT 200); a wiped clone then restores them from the remote cache, byte-identical', async () => {
    const cold = await runNxAsync(ws.root, CFN, remoteEnv(server, RW));
    expectOk(cold);
    expect(cacheStatus(cold.output, 'cfn:build')).toBe('miss');
    expect(cacheStatus(cold.output, 'cfn:doc')).toBe('miss');
    const puts = (await settle(server)).filter((r) => r.method === 'PUT');
    // cfn:build, cfn:doc and python-env:init, which cfn:doc depends on (cached: its output is its terminal log).
    expect(puts.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(entries().sort()).toEqual(puts.map((r) => r.hash).sort());
    const built = snapshot(ws.path('dist'));
    expect([...built.keys()].filter((f) => f.startsWith('cfn/')).length).toBe(9);

    wipeLocal(ws);
    const warm = await runNxAsync(ws.root, CFN, remoteEnv(server, RW));
    expectOk(warm);
    expect(cacheStatus(warm.output, 'cfn:build')).toBe('remote');
    expect(cacheStatus(warm.output, 'cfn:doc')).toBe('remote');
    expect(warm.output).toMatch(/nx run cfn:build\s+\[remote cache\]/);
    expect(snapshot(ws.path('dist'))).toEqual(built);
  });

  it('gives a read-only token misses and hits but never a write; nx exits 0 and says nothing about it', async () => {
    // A new cfn:build hash: the same template with one more trailing newline.
    const common = ws.path('packages/cfn/lava-common.cfn.json');
    writeFileSync(common, `${readFileSync(common, 'utf8')}\n`);
    const before = entries().length;

    wipeLocal(ws);
    const readOnly = await runNxAsync(ws.root, ['run', 'cfn:build', '--output-style=static'], remoteEnv(server, RO));
    expectOk(readOnly);
    expect(cacheStatus(readOnly.output, 'cfn:build')).toBe('miss');
    expect(readOnly.output).not.toMatch(/read-only|403|Forbidden/i);
    const refused = (await settle(server)).filter((r) => r.role === 'read-only' && r.method === 'PUT');
    expect(refused.map((r) => r.status)).toEqual([403]);
    expect(entries().length).toBe(before);

    wipeLocal(ws);
    const stillMissing = await runNxAsync(ws.root, ['run', 'cfn:build', '--output-style=static'], remoteEnv(server, RO));
    expect(cacheStatus(stillMissing.output, 'cfn:build')).toBe('miss');

    wipeLocal(ws);
    const readWrite = await runNxAsync(ws.root, ['run', 'cfn:build', '--output-style=static'], remoteEnv(server, RW));
    expectOk(readWrite);
    expect(entries().length).toBe(before + 1);

    wipeLocal(ws);
    const hit = await runNxAsync(ws.root, ['run', 'cfn:build', '--output-style=static'], remoteEnv(server, RO));
    expectOk(hit);
    expect(cacheStatus(hit.output, 'cfn:build')).toBe('remote');
  });

  it('stops nx with one clear error for a bad token (401 text/plain), before running the task', async () => {
    wipeLocal(ws);
    const run = await runNxAsync(ws.root, ['run', 'cfn:build', '--output-style=static'], remoteEnv(server, 'not-a-token-of-this-server'));
    expect(run.exitCode).toBe(1);
    const errors = run.output.split('\n').filter((l) => /Unauthorized/.test(l));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/Unauthorized: missing or invalid bearer token; set NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN/);
    expect(run.output).not.toMatch(/Misconfigured/);
    expect(() => statSync(ws.path('dist/cfn'))).toThrow();
  });

  it('builds with the remote cache skipped when the server is down and the CI preflight ran', async () => {
    const down = { url: `http://127.0.0.1:${await freePort()}` };
    wipeLocal(ws);
    // Without the preflight, nx 24 fails the run on a dead server: this is what the preflight is for.
    const unguarded = await runNxAsync(ws.root, ['run', 'cfn:build', '--output-style=static'], remoteEnv(down, RW));
    expect(unguarded.exitCode).toBe(1);
    expect(unguarded.output).toMatch(/Failed to send request/);

    const githubEnv = join(tempDir('lava-github-env-'), 'env');
    writeFileSync(githubEnv, '');
    const preflight = spawnSync(process.execPath, ['-r', '@swc-node/register', 'tools/cache-server/src/preflight.ts'], {
      cwd: WORKSPACE_ROOT,
      encoding: 'utf8',
      env: { ...process.env, NX_SELF_HOSTED_REMOTE_CACHE_SERVER: down.url, GITHUB_ENV: githubEnv },
    });
    expect(preflight.status).toBe(0);
    const exported = Object.fromEntries(
      readFileSync(githubEnv, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('=', 2) as [string, string]),
    );
    expect(exported).toEqual({ NX_SKIP_REMOTE_CACHE: 'true' });

    const guarded = await runNxAsync(ws.root, ['run', 'cfn:build', '--output-style=static'], { ...remoteEnv(down, RW), ...exported });
    expectOk(guarded);
    expect(guarded.output).toMatch(/Remote Cache Disabled/);
    expect(cacheStatus(guarded.output, 'cfn:build')).toBe('miss');
    expect(readdirSync(ws.path('dist/cfn')).filter((f) => f.endsWith('.cfn.json'))).toHaveLength(3);
  });
});

describe('remote cache on S3 (moto on 127.0.0.1)', () => {
  let ws: TempWorkspace;
  let moto: RunningProcess;
  let proxy: FaultProxy;
  let server: CacheServerProcess;
  let faulty: CacheServerProcess;
  const BUCKET = 'lava-nx-cache';

  async function objects(prefix: string): Promise<string[]> {
    const { S3Client, ListObjectsV2Command } = await import('@aws-sdk/client-s3');
    const client = new S3Client({ endpoint: moto.url, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
    client.destroy();
    return (listed.Contents ?? []).map((o) => o.Key ?? '');
  }

  beforeAll(async () => {
    moto = await startMoto();
    await createBucket(moto.url, BUCKET);
    const s3 = { ...MOTO_CREDENTIALS, CACHE_SERVER_STORAGE: 's3', CACHE_SERVER_S3_BUCKET: BUCKET, CACHE_SERVER_READ_WRITE_TOKEN: RW };
    server = await startCacheServer({ ...s3, CACHE_SERVER_S3_ENDPOINT: moto.url, CACHE_SERVER_S3_PREFIX: 'main/' });
    // The same bucket behind a proxy that can make S3 hang or drop connections, with a short storage deadline.
    proxy = await startFaultProxy(moto.url);
    faulty = await startCacheServer({ ...s3, CACHE_SERVER_S3_ENDPOINT: proxy.url, CACHE_SERVER_S3_PREFIX: 'faulty/', CACHE_SERVER_STORAGE_TIMEOUT_MS: '1500' });
    ws = copyWorkspace({ prefix: 'lava-remote-s3' });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await faulty?.stop();
    await proxy?.close();
    await moto?.stop();
    ws?.remove();
  });

  it('stores entries as S3 objects and serves them to a wiped clone, byte-identical', async () => {
    const cold = await runNxAsync(ws.root, CFN, remoteEnv(server, RW));
    expectOk(cold);
    const puts = (await settle(server)).filter((r) => r.method === 'PUT');
    // cfn:build, cfn:doc and python-env:init, which cfn:doc depends on (cached: its output is its terminal log).
    expect(puts.map((r) => r.status)).toEqual([200, 200, 200]);
    expect((await objects('main/')).sort()).toEqual(puts.map((r) => `main/${r.hash}`).sort());
    const built = snapshot(ws.path('dist'));

    wipeLocal(ws);
    const warm = await runNxAsync(ws.root, CFN, remoteEnv(server, RW));
    expectOk(warm);
    expect(cacheStatus(warm.output, 'cfn:build')).toBe('remote');
    expect(cacheStatus(warm.output, 'cfn:doc')).toBe('remote');
    expect(snapshot(ws.path('dist'))).toEqual(built);
  });

  it('keeps nx green when S3 fails mid-run: hangs (storage timeout) and then drops connections', async () => {
    wipeLocal(ws);
    // The first S3 call (cfn:build's lookup) goes through; every later one hangs.
    proxy.failAfter(1, 'hang');
    const hanging = await runNxAsync(ws.root, CFN, remoteEnv(faulty, RW));
    expectOk(hanging);
    expect(cacheStatus(hanging.output, 'cfn:build')).toBe('miss');
    expect(cacheStatus(hanging.output, 'cfn:doc')).toBe('miss');
    let log = await settle(faulty);
    // One lookup and one refused store per task (cfn:build, cfn:doc, python-env:init), in the order nx runs them.
    const perTask = (entries: typeof log) => entries.map((r) => `${r.method} ${r.status}`).sort();
    expect(perTask(log)).toEqual(['GET 404', 'GET 404', 'GET 404', 'PUT 403', 'PUT 403', 'PUT 403']);
    expect(faulty.output()).toMatch(/"event":"storage-error".*did not finish within 1500 ms/);

    wipeLocal(ws);
    proxy.failAfter(0, 'reset');
    const resetting = await runNxAsync(ws.root, CFN, remoteEnv(faulty, RW));
    expectOk(resetting);
    log = await settle(faulty);
    expect(perTask(log.slice(6))).toEqual(['GET 404', 'GET 404', 'GET 404', 'PUT 403', 'PUT 403', 'PUT 403']);
    expect(log.every((r) => r.status < 500)).toBe(true);
    expect(await objects('faulty/')).toEqual([]);
  });
});

describe('secrets never reach the local or the remote cache', () => {
  const USER = 'lava-ci-user-7f3a1c';
  const PASSWORD = 'pip-s3cr3t-9b1e44d0';
  let ws: TempWorkspace;
  let index: PypiIndex;
  let server: CacheServerProcess;
  let store: string;

  beforeAll(async () => {
    index = await startPypiIndex({ wheels: await tinyWheels(tempDir('lava-wheels-')), credentials: { user: USER, password: PASSWORD } });
    store = tempDir('lava-cache-store-');
    server = await startCacheServer({ CACHE_SERVER_DIR: store, CACHE_SERVER_READ_WRITE_TOKEN: RW });
    ws = copyWorkspace({ prefix: 'lava-remote-secrets' });
    // The bundle installs the two tiny wheels from the index that needs the credentials.
    writeFileSync(ws.path('packages/lava/requirements.txt'), 'tinypure==1.0\n');
    writeFileSync(ws.path('packages/lava/requirements-extra.txt'), 'tinyplat==2.0\n');
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await index?.close();
    ws?.remove();
  });

  /** Every byte of a tree, with the archives inside it (a .tar.gz cache entry, the .tar.bz2 bundle) unpacked too. */
  function allBytes(dir: string): string {
    let text = '';
    for (const [path, bytes] of snapshot(dir)) {
      text += `\n${path}\n${bytes.toString('latin1')}`;
      if (/\.tar\.(gz|bz2)$/.test(path) || /^entries\//.test(path)) {
        const into = tempDir('lava-unpacked-');
        execFileSync('tar', ['-xf', join(dir, path), '-C', into]);
        text += allBytes(into);
      }
    }
    return text;
  }

  it('worker-bundle:pkg with credentials in PIP_INDEX_URL stores output that names the index but not its credentials', async () => {
    const run = await runNxAsync(ws.root, ['run', 'worker-bundle:pkg', '--output-style=static'], {
      ...remoteEnv(server, RW),
      PIP_INDEX_URL: index.urlWith(USER, PASSWORD),
    });
    expectOk(run);
    expect(index.requests().some((r) => r.user === USER && r.status === 200)).toBe(true); // the credentials were used
    const puts = (await settle(server)).filter((r) => r.method === 'PUT' && r.status === 200);
    expect(puts).toHaveLength(2); // worker-bundle:pkg--host and python-env:init, which it depends on

    const local = allBytes(ws.path('.nx/cache'));
    const remote = allBytes(store);
    for (const [where, cache] of Object.entries({ local, remote })) {
      expect(cache.includes('terminalOutput'), `${where} cache holds a terminal output`).toBe(true);
      // The output names the index, redacted: what the cache would leak if redaction failed is there to see.
      expect(/packages from http:\/\/\*\*\*@127\.0\.0\.1:\d+\/simple/.test(cache), `${where} cache names the redacted index`).toBe(true);
      for (const secret of [PASSWORD, USER, encodeURIComponent(PASSWORD)]) {
        expect(cache.includes(secret), `${where} cache holds ${secret}`).toBe(false);
      }
    }
    expect(run.output).not.toContain(PASSWORD);
  });
});
