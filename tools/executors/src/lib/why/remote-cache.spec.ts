import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { askRemoteCache } from './remote-cache';

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

/** A cache server holding `hashes`; records each request's path and headers. */
async function serve(hashes: string[], seen: { url?: string; headers: IncomingHttpHeaders }[] = []): Promise<string> {
  server = createServer((req, res) => {
    seen.push({ url: req.url, headers: req.headers });
    const hash = req.url?.split('/').pop() ?? '';
    if (req.url === '/v1/cache/500') return void res.writeHead(500).end();
    if (!hashes.includes(hash)) return void res.writeHead(404).end();
    res.writeHead(200, { 'last-modified': 'Mon, 30 Nov 2026 12:00:00 GMT' }).end(Buffer.alloc(1 << 20));
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

describe('askRemoteCache', () => {
  it('is "none" without a self-hosted cache, or with the remote cache skipped', async () => {
    expect(await askRemoteCache('1', {})).toEqual({ kind: 'none' });
    expect(await askRemoteCache('1', { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: 'http://x', NX_SKIP_REMOTE_CACHE: 'true' })).toEqual({ kind: 'none' });
  });

  it('asks GET /v1/cache/<hash> with the bearer token, and says hit (with the time) or miss', async () => {
    const seen: { url?: string; headers: IncomingHttpHeaders }[] = [];
    const url = await serve(['123'], seen);
    const env = { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: `${url}/`, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: 'tok-123' };
    expect(await askRemoteCache('123', env)).toEqual({ kind: 'hit', server: `${url}/`, lastModified: new Date('2026-11-30T12:00:00Z') });
    expect(await askRemoteCache('456', env)).toEqual({ kind: 'miss', server: `${url}/` });
    expect(seen.map((r) => [r.url, r.headers.authorization])).toEqual([
      ['/v1/cache/123', 'Bearer tok-123'],
      ['/v1/cache/456', 'Bearer tok-123'],
    ]);
  });

  it('says unreachable, without the credentials of the server URL', async () => {
    const url = await serve([]);
    const answer = await askRemoteCache('500', { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: url.replace('http://', 'http://u:pw@') });
    expect(answer).toEqual({ kind: 'unreachable', server: url.replace('http://', 'http://***@'), reason: 'HTTP 500' });
    const closed = await askRemoteCache('1', { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: 'http://u:pw@127.0.0.1:9' }, 2000);
    expect(closed.kind).toBe('unreachable');
    expect(JSON.stringify(closed)).not.toContain('pw');
  });
});
