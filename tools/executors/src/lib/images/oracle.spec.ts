import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BuildError } from '../core/errors';
import { imageOracleZips, oracleAsset, syncOracle, versionFromEntries, zipVersion } from './oracle';
import { platformOf } from '../core/platform';
import { fakeInstantClientZip, fakeOracleSite, startFakeDownloadServer, type FakeDownloadServer } from '../../testing/fake-instant-client';
import { tempDir } from '../../testing/temp-dir';

const JAN = new Date('2026-01-10T08:00:00Z');
const MAR = new Date('2026-03-02T09:30:00Z');

describe('Instant Client names', () => {
  it('spells x64 the way Oracle downloads it and normalises it locally', () => {
    const x64 = oracleAsset('basic', platformOf('linux/amd64'));
    expect(x64.remoteName).toBe('instantclient-basic-linuxx64.zip');
    expect(x64.linkName).toBe('instantclient-basic-linux-x64.zip');
    const arm = oracleAsset('sqlplus', platformOf('aarch64'));
    expect(arm.remoteName).toBe('instantclient-sqlplus-linux-arm64.zip');
    expect(arm.linkName).toBe('instantclient-sqlplus-linux-arm64.zip');
  });

  it('reads the version from the single top directory', async () => {
    expect(versionFromEntries(['instantclient_23_8/', 'instantclient_23_8/sqlplus', ''], 'z')).toBe('23.8');
    expect(() => versionFromEntries(['lib/a.so', 'instantclient_23_8/x'], 'odd.zip')).toThrow(/odd.zip is not an Instant Client zip/);
    const dir = tempDir('oracle-zip-');
    writeFileSync(join(dir, 'c.zip'), await fakeInstantClientZip('basiclite', '19.27'));
    expect(await zipVersion(join(dir, 'c.zip'))).toBe('19.27');
  });
});

describe('syncOracle against a fake download site', () => {
  let server: FakeDownloadServer;
  let dir: string;
  const sync = () => syncOracle({ directory: dir, baseUrl: server.url });

  beforeEach(async () => {
    server = await startFakeDownloadServer();
    server.setFiles(await fakeOracleSite('23.8'), JAN);
    dir = join(tempDir('oracle-sync-'), 'external-packages', 'oracle');
  });
  afterEach(async () => {
    await server.close();
  });

  it('downloads every type for both platforms as versioned files plus unversioned links', async () => {
    const results = await sync();
    expect(results.every((r) => r.downloaded && r.version === '23.8')).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(
      ['basic', 'basiclite', 'sqlplus'].flatMap((t) => ['arm64', 'x64'].flatMap((p) => [`instantclient-${t}-linux-${p}-23.8.zip`, `instantclient-${t}-linux-${p}.zip`])).sort(),
    );
    expect(readlinkSync(join(dir, 'instantclient-sqlplus-linux-x64.zip'))).toBe('instantclient-sqlplus-linux-x64-23.8.zip');
    const versioned = join(dir, 'instantclient-sqlplus-linux-x64-23.8.zip');
    expect(statSync(versioned).mtime.getTime()).toBe(JAN.getTime());
    expect(readFileSync(versioned)).toEqual(server.files.get('instantclient/instantclient-sqlplus-linuxx64.zip')?.data);
  });

  it('downloads nothing the second time: size and Last-Modified match', async () => {
    await sync();
    const getsBefore = server.gets().length;
    const again = await sync();
    expect(server.gets().length).toBe(getsBefore);
    expect(again.every((r) => !r.downloaded)).toBe(true);
  });

  it('fetches a newer release, moves the link and keeps the old version', async () => {
    await sync();
    server.setFiles(await fakeOracleSite('23.9'), MAR);
    await sync();
    expect(readlinkSync(join(dir, 'instantclient-basiclite-linux-arm64.zip'))).toBe('instantclient-basiclite-linux-arm64-23.9.zip');
    expect(existsSync(join(dir, 'instantclient-basiclite-linux-arm64-23.8.zip'))).toBe(true);
  });

  it('re-downloads a file whose Last-Modified changed though its size did not', async () => {
    await sync();
    server.setFiles(await fakeOracleSite('23.8'), MAR);
    const results = await sync();
    expect(results.every((r) => r.downloaded)).toBe(true);
    expect(statSync(join(dir, 'instantclient-basic-linux-x64.zip')).mtime.getTime()).toBe(MAR.getTime());
  });

  it('leaves no file when a download breaks off, and the old link stays', async () => {
    await sync();
    server.setFiles(await fakeOracleSite('23.9'), MAR);
    const broken = server.files.get('instantclient/instantclient-basic-linuxx64.zip');
    if (!broken) throw new Error('fixture missing');
    broken.cutAfter = 100;
    await expect(sync()).rejects.toThrow(BuildError);
    expect(readdirSync(dir).filter((n) => n.startsWith('.') || n.includes('23.9'))).toEqual([]);
    expect(readlinkSync(join(dir, 'instantclient-basic-linux-x64.zip'))).toBe('instantclient-basic-linux-x64-23.8.zip');
  });

  it('removes the staging file a killed run left behind', async () => {
    await sync();
    const stale = join(dir, '.instantclient-basic-linux-x64.zip.123-abc.tmp');
    writeFileSync(stale, 'half a download');
    await sync();
    expect(existsSync(stale)).toBe(false);
  });

  it('refuses to replace a real file at an unversioned name', async () => {
    await sync();
    const link = join(dir, 'instantclient-sqlplus-linux-arm64.zip');
    rmSync(link);
    writeFileSync(link, 'not a link');
    await expect(sync()).rejects.toThrow(/instantclient-sqlplus-linux-arm64.zip is a real file, not a link.*; run: mv /);
    expect(lstatSync(link).isFile()).toBe(true);
  });

  it('names the base URL when the site is unreachable or the file is missing', async () => {
    await expect(syncOracle({ directory: dir, baseUrl: 'http://127.0.0.1:9/ic/' })).rejects.toThrow(/cannot reach http:\/\/127.0.0.1:9\/ic\/instantclient-basic-linuxx64.zip .*; run: .*--baseUrl/);
    server.files.delete('instantclient/instantclient-basic-linuxx64.zip');
    await expect(sync()).rejects.toThrow(/HEAD .*instantclient-basic-linuxx64.zip answered HTTP 404/);
  });

  it('does not print credentials carried by the base URL', async () => {
    const withSecret = server.url.replace('http://', 'http://user:s3cr3tpass@');
    server.files.delete('instantclient/instantclient-basic-linuxx64.zip');
    const error = await syncOracle({ directory: dir, baseUrl: withSecret }).catch((e: Error) => e);
    expect(String((error as Error).message)).not.toContain('s3cr3tpass');
  });

  it('finds the zips a full image needs, or names oracle:sync', async () => {
    expect(() => imageOracleZips(dir)).toThrow(/no Oracle Instant Client zips for the full image: .*; run: npx nx run oracle:sync/);
    await syncOracle({ directory: dir, baseUrl: server.url, types: ['basiclite', 'sqlplus'] });
    expect(imageOracleZips(dir).map((p) => p.slice(dir.length + 1)).sort()).toEqual([
      'instantclient-basiclite-linux-arm64.zip',
      'instantclient-basiclite-linux-x64.zip',
      'instantclient-sqlplus-linux-arm64.zip',
      'instantclient-sqlplus-linux-x64.zip',
    ]);
  });
});
