import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkRemoteCache } from './preflight';
import { freePort } from './testing/http';
import { WORKSPACE_ROOT } from './testing/processes';
import { tempDir } from '../../executors/src/testing/temp-dir';

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('checkRemoteCache', () => {
  it('keeps the remote cache when /health answers 200', async () => {
    const url = await serve((req, res) => res.writeHead(req.url === '/health' ? 200 : 404).end('ok'));
    expect(await checkRemoteCache(url)).toEqual({ skip: false, message: `remote cache ${url} is up` });
  });

  it('does nothing when no self-hosted cache is configured', async () => {
    expect((await checkRemoteCache(undefined)).skip).toBe(false);
    expect((await checkRemoteCache('')).skip).toBe(false);
  });

  it('skips the remote cache when nothing listens', async () => {
    const result = await checkRemoteCache(`http://127.0.0.1:${await freePort()}`);
    expect(result.skip).toBe(true);
    expect(result.message).toMatch(/unreachable .*ECONNREFUSED.*remote cache skipped/);
  });

  it('skips the remote cache when /health answers anything but 200', async () => {
    const url = await serve((_req, res) => res.writeHead(503).end());
    expect(await checkRemoteCache(url)).toMatchObject({ skip: true, message: expect.stringMatching(/answered 503/) });
  });

  it('skips the remote cache when the server never answers, after the timeout', async () => {
    const url = await serve(() => undefined);
    const started = Date.now();
    const result = await checkRemoteCache(url, 300);
    expect(result).toMatchObject({ skip: true, message: expect.stringMatching(/no answer within 300 ms/) });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('skips a server URL with a trailing slash, which nx would turn into //v1/cache', async () => {
    const url = await serve((_req, res) => res.writeHead(200).end());
    expect(await checkRemoteCache(`${url}/`)).toMatchObject({ skip: true, message: expect.stringMatching(/remove the slash/) });
  });

  it('never shows credentials from the URL', async () => {
    const result = await checkRemoteCache(`http://user:hunter2-secret@127.0.0.1:${await freePort()}`);
    expect(result.message).not.toMatch(/hunter2/);
  });
});

describe('preflight command', () => {
  it('appends NX_SKIP_REMOTE_CACHE=true to $GITHUB_ENV and prints the export when the cache is down', async () => {
    const dir = tempDir('preflight-');
    const envFile = join(dir, 'github-env');
    writeFileSync(envFile, 'EXISTING=1\n');
    const run = spawnSync(process.execPath, ['-r', '@swc-node/register', 'tools/cache-server/src/preflight.ts'], {
      cwd: WORKSPACE_ROOT,
      encoding: 'utf8',
      env: { ...process.env, NX_SELF_HOSTED_REMOTE_CACHE_SERVER: `http://127.0.0.1:${await freePort()}`, GITHUB_ENV: envFile, GITHUB_ACTIONS: 'true' },
    });
    expect(run.status).toBe(0);
    expect(readFileSync(envFile, 'utf8')).toBe('EXISTING=1\nNX_SKIP_REMOTE_CACHE=true\n');
    expect(run.stdout).toBe('export NX_SKIP_REMOTE_CACHE=true\n');
    expect(run.stderr).toMatch(/^::warning title=Remote cache::remote cache http:\/\/127\.0\.0\.1:\d+ unreachable/);
  });
});
