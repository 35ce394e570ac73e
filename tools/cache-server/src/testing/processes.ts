// Real processes on 127.0.0.1 for tests and benches: the cache server as its
// documented command runs it, moto's S3 server, and a fault-injecting HTTP
// proxy to put in front of a storage.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { freePort, waitFor } from './http';

export const WORKSPACE_ROOT = resolve(__dirname, '../../../..');

export interface RunningProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  stop(): Promise<void>;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    child.kill('SIGTERM');
  });
}

export interface CacheServerProcess extends RunningProcess {
  /** The request log lines the server printed, parsed. */
  requests(): Array<{ method: string; hash: string; status: number; bytes: number; role: string | null }>;
}

/** Starts `node -r @swc-node/register tools/cache-server/src/main.ts` with `env` (and a free port unless given). */
export async function startCacheServer(env: Record<string, string>): Promise<CacheServerProcess> {
  const port = env.CACHE_SERVER_PORT ?? String(await freePort());
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(WORKSPACE_ROOT, 'tools/cache-server/src/main.ts')], {
    cwd: WORKSPACE_ROOT,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', CACHE_SERVER_HOST: '127.0.0.1', ...env, CACHE_SERVER_PORT: port },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor('cache-server', async () => {
    if (child.exitCode !== null) throw new Error(`cache-server exited ${child.exitCode}:\n${output}`);
    return output.includes('cache-server listening on');
  }).catch(async (error: unknown) => {
    await stopChild(child);
    throw new Error(`${(error as Error).message}\n${output}`);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    requests: () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{') && line.includes('"event":"request"'))
        .map((line) => JSON.parse(line)),
    stop: () => stopChild(child),
  };
}

export const MOTO_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' };

/** moto's S3-compatible server from the workspace's Python tools (.venv/bin/moto_server). */
export async function startMoto(): Promise<RunningProcess> {
  const port = await freePort();
  const bin = join(WORKSPACE_ROOT, '.venv/bin/moto_server');
  const child = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...MOTO_CREDENTIALS } });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.on('error', (error) => (output += `\n${error.message}; run: npx nx run python-env:init`));
  const url = `http://127.0.0.1:${port}`;
  await waitFor('moto_server', async () => {
    if (child.exitCode !== null) throw new Error(`moto_server exited ${child.exitCode}:\n${output}`);
    return (await fetch(`${url}/moto-api/`)).ok;
  }).catch(async (error: unknown) => {
    await stopChild(child);
    throw new Error(`${(error as Error).message}\n${output}`);
  });
  return { url, child, output: () => output, stop: () => stopChild(child) };
}

/** Creates a bucket on an S3-compatible endpoint. */
export async function createBucket(endpoint: string, bucket: string): Promise<void> {
  const { S3Client, CreateBucketCommand } = await import('@aws-sdk/client-s3');
  const client = new S3Client({ endpoint, forcePathStyle: true, region: MOTO_CREDENTIALS.AWS_REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  client.destroy();
}

export type FaultMode = 'pass' | 'hang' | 'reset';

export interface FaultProxy {
  url: string;
  /** Requests forwarded so far. */
  forwarded: number;
  mode: FaultMode;
  /** Switches to `mode` once `count` more requests have been forwarded. */
  failAfter(count: number, mode: Exclude<FaultMode, 'pass'>): void;
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of `target` that passes requests, or makes them hang
 * (never answers) or resets their connections: a storage failing mid-run.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  let switchAt = Infinity;
  let then: FaultMode = 'pass';
  const hanging = new Set<import('node:http').ServerResponse>();
  const state = {
    url: '',
    forwarded: 0,
    mode: 'pass' as FaultMode,
    failAfter(count: number, mode: Exclude<FaultMode, 'pass'>) {
      switchAt = state.forwarded + count;
      then = mode;
      if (count === 0) state.mode = mode;
    },
    close: () =>
      new Promise<void>((done) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
  const server: Server = createServer((req, res) => {
    if (state.forwarded >= switchAt) state.mode = then;
    if (state.mode === 'hang') {
      hanging.add(res);
      req.resume();
      return;
    }
    if (state.mode === 'reset') {
      req.socket.destroy();
      return;
    }
    state.forwarded += 1;
    const upstream = httpRequest(`${target}${req.url}`, { method: req.method, headers: req.headers }, (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
