// oracle:sync through real nx, against a FAKE Oracle download site on 127.0.0.1.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeOracleSite, startFakeDownloadServer, type FakeDownloadServer } from '../tools/executors/src/testing/fake-instant-client';
import { runNxAsync } from './support/nx-async';
import { copyWorkspace, NX_ENV, type TempWorkspace } from './support/workspace';

describe('nx run oracle:sync', () => {
  let ws: TempWorkspace;
  let site: FakeDownloadServer;
  const sync = (...extra: string[]) => runNxAsync(ws.root, ['run', 'oracle:sync', `--baseUrl=${site.url}`, ...extra]);

  beforeAll(async () => {
    ws = copyWorkspace({ prefix: 'lava-oracle' });
    site = await startFakeDownloadServer();
    site.setFiles(await fakeOracleSite('23.8'), new Date('2026-01-10T08:00:00Z'));
  });
  afterAll(async () => {
    await site?.close();
    ws?.remove();
  });

  it('fills external-packages/oracle with versioned zips and links, then downloads nothing the second time', async () => {
    const first = await sync();
    expect(first.exitCode, first.output).toBe(0);
    const dir = ws.path('external-packages/oracle');
    expect(readdirSync(dir).filter((n) => n.endsWith('-23.8.zip'))).toHaveLength(6);
    expect(readlinkSync(`${dir}/instantclient-basiclite-linux-x64.zip`)).toBe('instantclient-basiclite-linux-x64-23.8.zip');
    expect(first.output).toContain('6 downloaded, 0 up to date.');

    const gets = site.gets().length;
    const second = await sync();
    expect(second.exitCode, second.output).toBe(0);
    expect(site.gets().length).toBe(gets);
    expect(second.output).toContain('0 downloaded, 6 up to date.');
    expect(second.output).not.toContain('[local cache]');
  });

  it('a download killed half-way leaves no zip and no link; the next run cleans up and completes', async () => {
    const dir = 'external-packages/oracle-killed';
    const stalled = site.files.get('instantclient/instantclient-basic-linuxx64.zip');
    if (!stalled) throw new Error('fixture missing');
    stalled.stallAfter = 200;
    const child = spawn(ws.path('node_modules/.bin/nx'), ['run', 'oracle:sync', `--baseUrl=${site.url}`, `--directory=${dir}`], {
      cwd: ws.root,
      env: { ...process.env, ...NX_ENV } as NodeJS.ProcessEnv,
      stdio: 'ignore',
      detached: true,
    });
    const exited = once(child, 'exit');
    const target = 'GET /instantclient/instantclient-basic-linuxx64.zip';
    const before = site.gets().filter((g) => g === target).length;
    const started = () => site.gets().filter((g) => g === target).length > before;
    for (let i = 0; i < 600 && !started(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(started()).toBe(true);
    process.kill(-(child.pid as number), 'SIGKILL');
    await exited;
    const left = readdirSync(ws.path(dir));
    expect(left.filter((n) => !n.startsWith('.'))).toEqual([]);

    delete stalled.stallAfter;
    const again = await sync(`--directory=${dir}`);
    expect(again.exitCode, again.output).toBe(0);
    expect(readdirSync(ws.path(dir)).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(readlinkSync(join(ws.path(dir), 'instantclient-basic-linux-x64.zip'))).toBe('instantclient-basic-linux-x64-23.8.zip');
  });

  it('fails in one line naming the unreachable site, with nothing partial left', async () => {
    const broken = await runNxAsync(ws.root, ['run', 'oracle:sync', '--baseUrl=http://127.0.0.1:9/nowhere/', '--directory=external-packages/oracle-broken']);
    expect(broken.exitCode).not.toBe(0);
    expect(broken.output).toMatch(/✖ oracle:sync: cannot reach http:\/\/127.0.0.1:9\/nowhere\/instantclient-basic-linuxx64.zip .*; run: /);
    expect(existsSync(ws.path('external-packages/oracle-broken')) ? readdirSync(ws.path('external-packages/oracle-broken')) : []).toEqual([]);
  });
});
