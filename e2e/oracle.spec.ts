// oracle:sync through real nx, against a FAKE Oracle download site on 127.0.0.1.
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeOracleSite, startFakeDownloadServer, type FakeDownloadServer } from '../tools/executors/src/lib/testing/fake-instant-client';
import { runNxAsync } from './support/nx-async';
import { copyWorkspace, type TempWorkspace } from './support/workspace';

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

  it('fails in one line naming the unreachable site, with nothing partial left', async () => {
    const broken = await runNxAsync(ws.root, ['run', 'oracle:sync', '--baseUrl=http://127.0.0.1:9/nowhere/', '--directory=external-packages/oracle-broken']);
    expect(broken.exitCode).not.toBe(0);
    expect(broken.output).toMatch(/✖ oracle:sync: cannot reach http:\/\/127.0.0.1:9\/nowhere\/instantclient-basic-linuxx64.zip .*; run: /);
    expect(existsSync(ws.path('external-packages/oracle-broken')) ? readdirSync(ws.path('external-packages/oracle-broken')) : []).toEqual([]);
  });
});
