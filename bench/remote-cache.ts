// Remote cache figures, printed (never asserted):
// 1. The whole build as ./build.sh runs it, in a fresh clone: cold (no cache anywhere) against
//    a fresh clone whose remote cache is warm, through tools/cache-server on 127.0.0.1.
// 2. The server's throughput on loopback: PUT then GET of 50 MiB of entries.
//
//   bench/remote-cache.sh          (RUNS=3 by default; BENCH_TARGETS / BENCH_EXCLUDE to change the build)
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCacheServer, type CacheServerProcess } from '../tools/cache-server/src/testing/processes';
import { cacheStatus, copyWorkspace, runNx, WORKSPACE_ROOT, type TempWorkspace } from '../e2e/support/workspace';

const RUNS = Number(process.env.RUNS ?? 3);
const TOKEN = randomBytes(24).toString('hex');
// ./build.sh's build. The builder images, the lambdas (built in a builder) and the lava docker
// images need Docker Hub's base images, which this machine cannot reach: left out unless
// BENCH_EXCLUDE says otherwise (BENCH_EXCLUDE= includes everything).
const TARGETS = (process.env.BENCH_TARGETS ?? 'build,doc,lint').split(',');
const EXCLUDE = process.env.BENCH_EXCLUDE ?? 'builder-*,lambda-*,docker-*';

const seconds = (ns: bigint) => Number(ns) / 1e9;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x: number) => x.toFixed(2);

/**
 * A fresh clone of `origin` (a git fixture of this workspace, taken once so that
 * every clone has the same files), sharing node_modules and .venv.
 */
function freshClone(origin: string): TempWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'lava-bench-clone-'));
  rmSync(root, { recursive: true });
  execFileSync('git', ['clone', '-q', origin, root]);
  for (const shared of ['node_modules', '.venv']) {
    if (!existsSync(join(root, shared))) symlinkSync(join(WORKSPACE_ROOT, shared), join(root, shared));
  }
  return {
    root,
    path: (...parts) => join(root, ...parts),
    nx: (args, env = {}) => runNx(root, args, env),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

function build(ws: TempWorkspace, env: Record<string, string | undefined>) {
  const args = ['run-many', '-t', ...TARGETS, '--output-style=static', ...(EXCLUDE ? ['--exclude', EXCLUDE] : [])];
  const started = process.hrtime.bigint();
  const run = runNx(ws.root, args, { NX_SKIP_NX_CACHE: undefined, ...env });
  const took = seconds(process.hrtime.bigint() - started);
  if (run.exitCode !== 0) throw new Error(`bench: nx ${args.join(' ')} failed:\n${run.output.slice(-4000)}`);
  const tasks = [...run.output.matchAll(/^> nx run (\S+)/gm)].map((m) => m[1]);
  const remote = tasks.filter((t) => cacheStatus(run.output, t) === 'remote').length;
  return { took, tasks, remote };
}

async function wholeBuild(): Promise<void> {
  const store = mkdtempSync(join(tmpdir(), 'lava-bench-cache-'));
  const server = await startCacheServer({ CACHE_SERVER_DIR: store, CACHE_SERVER_READ_WRITE_TOKEN: TOKEN });
  const remote = { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: server.url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: TOKEN };
  const cold: number[] = [];
  const populate: number[] = [];
  const warm: number[] = [];
  let summary = { tasks: [] as string[], remote: 0 };
  const origin = copyWorkspace({ git: true, prefix: 'lava-bench-origin' });
  try {
    for (let i = 0; i < RUNS; i += 1) {
      // A fresh clone each time: no .nx, no dist; the same files.
      const a = freshClone(origin.root);
      try {
        cold.push(build(a, {}).took);
      } finally {
        a.remove();
      }
    }
    const first = freshClone(origin.root);
    try {
      populate.push(build(first, remote).took); // cold, and it fills the remote cache
    } finally {
      first.remove();
    }
    for (let i = 0; i < RUNS; i += 1) {
      const fresh = freshClone(origin.root);
      try {
        const result = build(fresh, remote);
        warm.push(result.took);
        summary = result;
      } finally {
        fresh.remove();
      }
    }
  } finally {
    await server.stop();
    origin.remove();
    rmSync(store, { recursive: true, force: true });
  }
  const cacheable = summary.tasks.filter((t) => t !== 'python-env:init');
  console.log(`whole build: nx run-many -t ${TARGETS.join(' ')}${EXCLUDE ? ` --exclude '${EXCLUDE}'` : ''}; median of ${RUNS} fresh clones, ${process.env.CPUS ?? require('node:os').cpus().length} cores`);
  console.log(`  tasks: ${summary.tasks.join(' ')}`);
  console.log(`  cold, no cache anywhere                       ${fmt(median(cold))} s`);
  console.log(`  cold, filling the remote cache (1 run)        ${fmt(median(populate))} s`);
  console.log(`  fresh clone, warm remote cache                ${fmt(median(warm))} s   (${summary.remote}/${cacheable.length} cacheable tasks from the remote cache)`);
  console.log(`  ratio warm remote / cold                      ${fmt(median(warm) / median(cold))}   (${fmt(median(cold) / median(warm))}x faster)`);
}

function call(agent: Agent, url: string, method: 'GET' | 'PUT', body?: Buffer): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { Authorization: `Bearer ${TOKEN}` };
    if (body) Object.assign(headers, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length });
    const req = request(url, { method, agent, headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

async function throughput(): Promise<void> {
  const TOTAL = 50 * 1024 * 1024;
  console.log(`cache server throughput on loopback (filesystem storage), 50 MiB of random entries, median of ${RUNS}`);
  console.log('  entries x size      concurrency   PUT MiB/s   GET MiB/s');
  for (const [count, concurrency] of [[50, 1], [50, 4], [400, 8]] as const) {
    const size = TOTAL / count;
    const puts: number[] = [];
    const gets: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const store = mkdtempSync(join(tmpdir(), 'lava-bench-tp-'));
      let server: CacheServerProcess | undefined;
      const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
      try {
        server = await startCacheServer({ CACHE_SERVER_DIR: store, CACHE_SERVER_READ_WRITE_TOKEN: TOKEN });
        const entries = Array.from({ length: count }, (_, i) => ({ hash: `${Date.now()}${run}${i}`, body: randomBytes(size) }));
        let started = process.hrtime.bigint();
        await pool(entries, concurrency, async (e) => {
          const r = await call(agent, `${server?.url}/v1/cache/${e.hash}`, 'PUT', e.body);
          if (r.status !== 200) throw new Error(`PUT ${e.hash}: ${r.status}`);
        });
        puts.push(TOTAL / 1024 / 1024 / seconds(process.hrtime.bigint() - started));
        started = process.hrtime.bigint();
        await pool(entries, concurrency, async (e) => {
          const r = await call(agent, `${server?.url}/v1/cache/${e.hash}`, 'GET');
          if (r.status !== 200 || r.bytes !== size) throw new Error(`GET ${e.hash}: ${r.status}, ${r.bytes} bytes`);
        });
        gets.push(TOTAL / 1024 / 1024 / seconds(process.hrtime.bigint() - started));
      } finally {
        agent.destroy();
        await server?.stop();
        rmSync(store, { recursive: true, force: true });
      }
    }
    const label = `${count} x ${(size / 1024).toFixed(0)} KiB`.padEnd(20);
    console.log(`  ${label}${String(concurrency).padStart(11)}   ${fmt(median(puts)).padStart(9)}   ${fmt(median(gets)).padStart(9)}`);
  }
}

async function main(): Promise<void> {
  const only = process.argv[2];
  if (!only || only === 'throughput') await throughput();
  if (!only || only === 'build') await wholeBuild();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
