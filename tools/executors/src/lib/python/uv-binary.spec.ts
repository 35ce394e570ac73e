import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { platformOf } from '../core/platform';
import { tempDir } from '../../testing/temp-dir';
import { indexFiles, pinnedUvVersion, uvBinary, uvWheelFor } from './uv-binary';

const WORKSPACE_ROOT = resolve(__dirname, '../../../../..');
const arm64 = platformOf('arm64');
const amd64 = platformOf('amd64');

/** uv 0.13.8's Linux wheels on PyPI, as its simple page names them. */
const PYPI_LINUX_WHEELS = [
  'uv-0.13.8-py3-none-linux_armv6l.whl',
  'uv-0.13.8-py3-none-manylinux_2_17_aarch64.manylinux2014_aarch64.musllinux_1_1_aarch64.whl',
  'uv-0.13.8-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
  'uv-0.13.8-py3-none-manylinux_2_28_aarch64.whl',
  'uv-0.13.8-py3-none-musllinux_1_1_i686.whl',
  'uv-0.13.8-py3-none-musllinux_1_1_x86_64.whl',
  'uv-0.13.8.tar.gz',
].map((filename) => ({ filename, url: `https://files.example/${filename}` }));

describe('pinnedUvVersion', () => {
  it('reads the uv pin of the workspace’s Python tools', () => {
    const pinned = /^uv==(\S+)$/m.exec(readFileSync(join(WORKSPACE_ROOT, 'tools/python/requirements.txt'), 'utf8'))?.[1];
    expect(pinnedUvVersion(WORKSPACE_ROOT)).toBe(pinned);
  });

  it('fails in one line when there is no pin', async () => {
    const root = tempDir('uv-pin-');
    expect(() => pinnedUvVersion(root)).toThrow('tools/python/requirements.txt is missing, so the uv version builder containers run is unknown');
  });
});

describe('indexFiles', () => {
  it('resolves each link against the page and takes its sha256 from the fragment', () => {
    const html = [
      '<a href="../../files/uv-1.0-py3-none-any.whl#sha256=' + 'A'.repeat(64) + '" data-requires-python="&gt;=3.8">x</a>',
      "<a href='https://files.example/p/uv-1.0.tar.gz#md5=00'>uv-1.0.tar.gz</a>",
      '<A HREF="/f/uv%2B1.whl?x=1&amp;y=2#sha256=' + 'b'.repeat(64) + '">q</A>',
    ].join('\n');
    expect(indexFiles(html, 'http://u:p@idx:8/simple/uv/')).toEqual([
      { filename: 'uv-1.0-py3-none-any.whl', url: 'http://u:p@idx:8/files/uv-1.0-py3-none-any.whl', sha256: 'a'.repeat(64) },
      { filename: 'uv-1.0.tar.gz', url: 'https://files.example/p/uv-1.0.tar.gz' },
      { filename: 'uv+1.whl', url: 'http://u:p@idx:8/f/uv%2B1.whl?x=1&y=2', sha256: 'b'.repeat(64) },
    ]);
  });
});

describe('uvWheelFor', () => {
  it.each([
    [amd64, 'uv-0.13.8-py3-none-musllinux_1_1_x86_64.whl'],
    // aarch64's static build is one wheel tagged both manylinux and musllinux.
    [arm64, 'uv-0.13.8-py3-none-manylinux_2_17_aarch64.manylinux2014_aarch64.musllinux_1_1_aarch64.whl'],
  ])('picks the static musl build for %s', (platform, file) => {
    expect(uvWheelFor(PYPI_LINUX_WHEELS, '0.13.8', platform.arch)?.filename).toBe(file);
  });

  it('finds nothing for another version', () => {
    expect(uvWheelFor(PYPI_LINUX_WHEELS, '0.13.9', 'x86_64')).toBeUndefined();
  });
});

async function fakeWheel(version: string, binary: string): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from('print("uv")\n'), 'uv/__init__.py');
  zip.addBuffer(Buffer.from(binary), `uv-${version}.data/scripts/uv`, { mode: 0o100755 });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('uvBinary', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  /** An index on 127.0.0.1 behind basic auth, serving uv's page and one wheel; `sha` overrides the advertised hash. */
  async function index(wheel: Buffer, options: { sha?: string; name?: string } = {}): Promise<{ url: string; requests: string[] }> {
    const name = options.name ?? 'uv-0.13.8-py3-none-musllinux_1_1_x86_64.whl';
    const sha = options.sha ?? createHash('sha256').update(wheel).digest('hex');
    const requests: string[] = [];
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (req.headers.authorization !== `Basic ${Buffer.from('me:s3cret!').toString('base64')}`) {
        res.statusCode = 401;
        return res.end();
      }
      if (req.url === '/simple/uv/') return res.end(`<a href="/files/${name}#sha256=${sha}">${name}</a>\n`);
      if (req.url === `/files/${name}`) return res.end(wheel);
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return { url: `http://me:s3cret%21@127.0.0.1:${(server.address() as AddressInfo).port}/simple`, requests };
  }

  it('fetches the wheel through the index with its credentials, checks it and keeps the binary, once', async () => {
    const dir = tempDir('uv-bin-');
    const { url, requests } = await index(await fakeWheel('0.13.8', '#!/bin/sh\necho uv\n'));
    const path = await uvBinary({ version: '0.13.8', platform: amd64, indexUrl: url, dir });
    expect(path).toBe(join(dir, '0.13.8/x86_64/uv'));
    expect(readFileSync(path, 'utf8')).toBe('#!/bin/sh\necho uv\n');
    expect(statSync(path).mode & 0o777).toBe(0o755);
    expect(await uvBinary({ version: '0.13.8', platform: amd64, indexUrl: url, dir })).toBe(path);
    expect(requests).toEqual(['/simple/uv/', '/files/uv-0.13.8-py3-none-musllinux_1_1_x86_64.whl']);
  });

  it('refuses a wheel whose sha256 is not the index’s, keeping nothing and no credentials in the line', async () => {
    const dir = tempDir('uv-bin-');
    const { url } = await index(await fakeWheel('0.13.8', 'x'), { sha: '0'.repeat(64) });
    const failure = uvBinary({ version: '0.13.8', platform: amd64, indexUrl: url, dir });
    await expect(failure).rejects.toThrow(/^uv-0\.13\.8-py3-none-musllinux_1_1_x86_64\.whl from http:\/\/\*\*\*@127\.0\.0\.1:\d+\/simple has sha256 [0-9a-f]{64}, the index says 0{64}/);
    await expect(failure).rejects.not.toThrow(/s3cret/);
    expect(existsSync(join(dir, '0.13.8'))).toBe(false);
  });

  it('says in one line when the index has no wheel for the arch', async () => {
    const dir = tempDir('uv-bin-');
    const { url } = await index(await fakeWheel('0.13.8', 'x'));
    await expect(uvBinary({ version: '0.13.8', platform: arm64, indexUrl: url, dir })).rejects.toThrow(
      /^the package index http:\/\/\*\*\*@127\.0\.0\.1:\d+\/simple has no wheel of uv 0\.13\.8 for aarch64 \(the musllinux wheel\); run: make uv==0\.13\.8 available on the index, or --installer=pip$/,
    );
  });

  it('says in one line when the index is unreachable', async () => {
    const dir = tempDir('uv-bin-');
    await expect(uvBinary({ version: '0.13.8', platform: arm64, indexUrl: 'http://me:s3cret@127.0.0.1:9/simple', dir })).rejects.toThrow(
      /^cannot reach http:\/\/\*\*\*@127\.0\.0\.1:9\/simple\/uv\/ for uv 0\.13\.8 for aarch64 \(the musllinux wheel\) \([^)]+\); run: /,
    );
  });
});
