import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeOracleSite, startFakeDownloadServer, type FakeDownloadServer } from '../../testing/fake-instant-client';
import executor from './oracle-sync.impl';
import { tempDir } from '../../testing/temp-dir';

function fakeContext(root: string): ExecutorContext {
  return { root, projectName: 'oracle', targetName: 'sync', cwd: root, isVerbose: false } as unknown as ExecutorContext;
}

describe('oracle-sync executor', () => {
  let server: FakeDownloadServer;
  let root: string;
  beforeEach(async () => {
    server = await startFakeDownloadServer();
    server.setFiles(await fakeOracleSite('23.8', ['sqlplus']), new Date('2026-02-01T00:00:00Z'));
    root = tempDir('oracle-exec-');
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await server.close();
  });

  it('syncs into the directory relative to the workspace root and reports the counts', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const result = await executor({ baseUrl: server.url, types: ['sqlplus'] }, fakeContext(root));
    expect(result).toEqual({ success: true });
    expect(readlinkSync(join(root, 'external-packages/oracle/instantclient-sqlplus-linux-arm64.zip'))).toBe('instantclient-sqlplus-linux-arm64-23.8.zip');
    expect(log.mock.calls.map((c) => c[0]).at(-1)).toBe('2 downloaded, 0 up to date.');
  });

  it('fails with one line naming the problem and the fix', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const result = await executor({ baseUrl: server.url, types: ['basic'] }, fakeContext(root));
    expect(result).toEqual({ success: false });
    const printed = err.mock.calls.map((c) => String(c[0])).join('');
    expect(printed).toMatch(/^✖ oracle:sync: HEAD .*instantclient-basic-linuxx64.zip answered HTTP 404; run: .*--baseUrl=<mirror>\n$/);
  });
});
