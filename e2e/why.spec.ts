// `./build.sh why <task>` with real nx in a throwaway copy of this workspace: each kind of input a
// Lambda reads (its .py, the version file, PIP_INDEX_URL, the builder's digest, an option) is named as the
// cause of a miss, a credential in PIP_INDEX_URL is printed nowhere and recorded nowhere, and an
// unchanged task "would hit". No docker: the builder, registry and lambda executors are replaced
// by stand-ins that write what the real ones output (the digest file, the zip), so the targets keep
// the inputs, outputs and dependencies the plugins give them.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNxAsync } from './support/nx-async';
import { cacheStatus, copyWorkspace, NX_ENV, type TempWorkspace } from './support/workspace';

const TASK = 'lambda-dispatch:build';
const BUILDER = 'builder-amzn2023-py3.13:build';
const SECRET_URL = 'https://user:s3cr3t-pw@host.invalid/simple';
// None of the lambda's environment inputs from the caller's shell: each test sets what it means.
const CLEAN_ENV = { PIP_INDEX_URL: undefined, PIP_EXTRA_INDEX_URL: undefined, PIP_TRUSTED_HOST: undefined, SOURCE_DATE_EPOCH: undefined };

const STAND_INS = `'use strict';
const fs = require('node:fs');
const path = require('node:path');
const http = require('node:http');
const crypto = require('node:crypto');
// The digest of the image the Dockerfile would give: here, of the Dockerfile's bytes.
exports['builder-image'] = async (options, context) => {
  const dockerfile = fs.readFileSync(path.join(context.root, options.dockerfile));
  const dir = path.join(context.root, 'dist/builders', options.runtime);
  fs.mkdirSync(dir, { recursive: true });
  const digest = crypto.createHash('sha256').update(dockerfile).digest('hex');
  fs.writeFileSync(path.join(dir, 'image.digest'), 'localhost:5001/build/lava/' + options.runtime + '@sha256:' + digest + '\\n');
  return { success: true };
};
// Answers /v2/ on :5001 unless a registry already does.
exports['registry-serve'] = async function* () {
  const server = http.createServer((req, res) => res.end('{}'));
  await new Promise((resolve) => { server.once('error', resolve); server.listen(5001, resolve); });
  yield { success: true };
  await new Promise(() => {});
};
exports['lambda-bundle'] = async (options, context) => {
  const version = JSON.parse(fs.readFileSync(path.join(context.root, 'packages/lava/lava/VERSION.json'), 'utf8')).__version_num__;
  fs.mkdirSync(path.join(context.root, 'dist/lambda'), { recursive: true });
  fs.writeFileSync(path.join(context.root, 'dist/lambda/' + options.name + '-' + version + '.zip'), 'zip');
  return { success: true };
};
`;

function useStandIns(ws: TempWorkspace): void {
  writeFileSync(ws.path('tools/executors/why-stand-ins.js'), STAND_INS);
  const file = ws.path('tools/executors/executors.json');
  const executors = JSON.parse(readFileSync(file, 'utf8'));
  for (const name of ['builder-image', 'registry-serve', 'lambda-bundle']) executors.executors[name].implementation = `./why-stand-ins.js#${name}`;
  writeFileSync(file, JSON.stringify(executors, null, 2));
}

/** Nx's self-hosted remote cache protocol, in memory: `PUT`/`GET /v1/cache/<hash>`. */
async function startRemoteCache(): Promise<{ url: string; server: Server }> {
  const entries = new Map<string, Buffer>();
  const server = createServer((req, res) => {
    const hash = /^\/v1\/cache\/([A-Za-z0-9]+)$/.exec(req.url ?? '')?.[1];
    if (!hash) return void res.writeHead(404).end();
    if (req.method === 'PUT') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        entries.set(hash, Buffer.concat(chunks));
        res.writeHead(200).end();
      });
      return;
    }
    const entry = entries.get(hash);
    if (!entry) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(entry);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Every file under `dir`, as text. */
function allText(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => readFileSync(path, 'utf8'))
    .join('\n');
}

describe('./build.sh why <project>:<target>', () => {
  let ws: TempWorkspace;
  const nx = (args: string[], env: Record<string, string | undefined> = {}) => ws.nx(args, { ...CLEAN_ENV, ...env });
  const why = (task: string, env: Record<string, string | undefined> = {}) => {
    const merged: NodeJS.ProcessEnv = { ...process.env, ...NX_ENV, ...CLEAN_ENV, ...env };
    for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
    const result = spawnSync('bash', ['build.sh', 'why', task], { cwd: ws.root, env: merged, encoding: 'utf8' });
    const output = `${result.stdout}${result.stderr}`;
    expect(result.status, output).toBe(0);
    return output;
  };
  /** `why` without blocking this process, whose servers must answer meanwhile. */
  const whyAsync = (task: string, env: Record<string, string | undefined>) =>
    new Promise<string>((done, fail) => {
      const merged: NodeJS.ProcessEnv = { ...process.env, ...NX_ENV, ...CLEAN_ENV, ...env };
      for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
      const child = spawn('bash', ['build.sh', 'why', task], { cwd: ws.root, env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('error', fail);
      child.on('close', (code) => (code === 0 ? done(output) : fail(new Error(`why exited ${code}: ${output}`))));
    });
  /** Changes a file for one check, then puts it back. */
  const withEdit = (file: string, edit: (text: string) => string, check: () => void) => {
    const original = readFileSync(ws.path(file), 'utf8');
    writeFileSync(ws.path(file), edit(original));
    try {
      check();
    } finally {
      writeFileSync(ws.path(file), original);
    }
  };

  beforeAll(() => {
    ws = copyWorkspace({ prefix: 'lava-why' });
    useStandIns(ws);
  });
  afterAll(() => ws?.remove());

  it('refuses an unknown project or target in one line, and says an uncached task runs every time', () => {
    const run = (task: string) => spawnSync('bash', ['build.sh', 'why', task], { cwd: ws.root, env: { ...process.env, ...NX_ENV } as NodeJS.ProcessEnv, encoding: 'utf8' });
    const unknown = run('lambda-nope:build');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe('✖ unknown project "lambda-nope"; run: npx nx show projects\n');
    const noTarget = run('lambda-dispatch:pkg');
    expect(noTarget.status).toBe(2);
    expect(noTarget.stderr).toMatch(/^✖ lambda-dispatch has no target "pkg"; known: build, .*lint/);
    expect(why('registry:serve')).toBe('registry:serve is not cacheable: it runs every time\n');
  });

  it('says there is nothing to compare with before the first run', () => {
    expect(why(TASK)).toContain(`${TASK} would miss: no cached run of it is recorded yet`);
  });

  it('says an unchanged task would hit, from the local run that made its cache entry', () => {
    const run = nx(['run', TASK]);
    expect(run.exitCode, run.output).toBe(0);
    expect(cacheStatus(run.output, TASK)).toBe('miss');
    expect(why(TASK)).toMatch(new RegExp(`^${TASK} would hit: cached, from local run at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\n$`));
  });

  it("names a changed handler .py, with its old and new hash", () => {
    withEdit('packages/lambda/dispatch/dispatch.py', (text) => `${text}\n# edited\n`, () => {
      const out = why(TASK);
      expect(out).toContain(`${TASK} would miss the cache`);
      expect(out).toMatch(/\n {2}file {18}packages\/lambda\/dispatch\/dispatch\.py {2}\d+ → \d+\n/);
      expect(out.split('\n').filter((line) => line.startsWith('  '))).toHaveLength(1);
    });
    expect(why(TASK)).toContain(`${TASK} would hit`);
  });

  it('names the version file', () => {
    withEdit('packages/lava/lava/VERSION.json', (text) => text.replace(/"__version_num__": "[^"]+"/, '"__version_num__": "9.9.9"'), () => {
      const out = why(TASK);
      expect(out).toMatch(/\n {2}file {18}packages\/lava\/lava\/VERSION\.json {2}\d+ → \d+\n/);
      // The zip's name carries the version: the target's outputs changed with it.
      expect(out).toContain('  target                outputs  ["dist/lambda/dispatch-');
    });
  });

  it("names a changed option of the executor, with its old and new value", () => {
    const plugin = '"./tools/executors/plugins/lambdas.js"';
    withEdit('nx.json', (text) => text.replace(plugin, `{ "plugin": ${plugin}, "options": { "platform": "linux/amd64" } }`), () => {
      const out = why(TASK);
      expect(out).toContain('  option                platform  "linux/arm64" → "linux/amd64"\n');
      expect(out).toMatch(/\n {2}file {18}nx\.json {2}\d+ → \d+\n/);
    });
  });

  it('names PIP_INDEX_URL by name only: its credentials are printed nowhere and recorded nowhere', () => {
    const out = why(TASK, { PIP_INDEX_URL: SECRET_URL });
    expect(out).toContain('  env                   PIP_INDEX_URL (changed; value not shown)\n');
    expect(out).not.toMatch(/s3cr3t|user:|host\.invalid/);
    const run = nx(['run', TASK], { PIP_INDEX_URL: SECRET_URL });
    expect(run.exitCode, run.output).toBe(0);
    expect(why(TASK, { PIP_INDEX_URL: SECRET_URL })).toContain(`${TASK} would hit`);
    expect(allText(ws.path('.nx/workspace-data/lava-why'))).not.toMatch(/s3cr3t|user:|host\.invalid/);
    // Back without it: the run before is the cache entry again, but the last run read the secret.
    const back = why(TASK);
    expect(back).toContain(`${TASK} would hit`);
  });

  it("names the builder's digest as a dependency output, after the builder would run first", () => {
    appendFileSync(ws.path('etc/builders/amzn2023-py3.13.Dockerfile'), `LABEL org.lava.test="${Date.now()}"\n`);
    // Not rebuilt yet: the lambda's inputs are what is on disk, and the builder is said to run first.
    const before = why(TASK);
    expect(before).toContain(`${TASK} would hit`);
    expect(before).toContain(`${BUILDER} would run first, and may change them: ./build.sh why ${BUILDER}`);
    const builder = nx(['run', BUILDER]);
    expect(builder.exitCode, builder.output).toBe(0);
    const out = why(TASK);
    expect(out).toContain(`${TASK} would miss the cache`);
    expect(out).toMatch(new RegExp(`\\n {2}dependency output {5}dist/builders/amzn2023-py3\\.13/image\\.digest {2}\\d+ → \\d+ {2}\\(output of ${BUILDER.replace('.', '\\.')}\\)\\n`));
  });

  it('says a hit in, or restored from, the remote cache came from a remote run', async () => {
    const remote = await startRemoteCache();
    try {
      const env = { ...CLEAN_ENV, NX_SELF_HOSTED_REMOTE_CACHE_SERVER: remote.url, NX_NO_CLOUD: undefined };
      appendFileSync(ws.path('packages/lambda/dispatch/dispatch.py'), '\n# for the remote cache\n');
      const stored = await runNxAsync(ws.root, ['run', TASK], env);
      expect(stored.exitCode, stored.output).toBe(0);
      // A fresh clone: no local cache, no record of any run.
      for (const dir of ['.nx/cache', '.nx/workspace-data', 'dist/lambda']) rmSync(ws.path(dir), { recursive: true, force: true });
      // Asked before any run here: the remote cache holds the hash.
      expect(await whyAsync(TASK, env)).toContain(`${TASK} would hit: cached, from remote run (in the remote cache ${remote.url}; the next run restores it)\n`);
      const restored = await runNxAsync(ws.root, ['run', TASK], env);
      expect(restored.exitCode, restored.output).toBe(0);
      expect(cacheStatus(restored.output, TASK)).toBe('remote');
      expect(why(TASK)).toMatch(new RegExp(`^${TASK} would hit: cached, from remote run at \\d{4}-`));
    } finally {
      remote.server.close();
    }
  });
});
