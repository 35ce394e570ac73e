import { readdirSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Tokens } from './auth';
import { createCacheServer, type CacheServerOptions, type LogEvent } from './server';
import { FileStorage } from './storage/fs';
import type { PutResult, Storage } from './storage/storage';
import { request } from './testing/http';
import { tempDir } from '../../executors/src/testing/temp-dir';

const RW = 'rw-token-0123456789abcdef';
const RO = 'ro-token-0123456789abcdef';
const TOKENS: Tokens = { readWrite: [RW], readOnly: [RO] };
const ENTRY = Buffer.from('a gzipped tar, opaque to the server \x00\x01\x02');

class MemoryStorage implements Storage {
  readonly kind = 'memory';
  readonly entries = new Map<string, Buffer>();
  calls = 0;
  fail: 'none' | 'throw' | 'hang' = 'none';

  private async faults(signal: AbortSignal): Promise<void> {
    this.calls += 1;
    if (this.fail === 'throw') throw new Error('storage exploded');
    if (this.fail === 'hang') await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
  }
  async get(hash: string, signal: AbortSignal) {
    await this.faults(signal);
    return this.entries.get(hash) ?? null;
  }
  async has(hash: string, signal: AbortSignal) {
    await this.faults(signal);
    return this.entries.has(hash);
  }
  async put(hash: string, body: Buffer, signal: AbortSignal): Promise<PutResult> {
    await this.faults(signal);
    if (this.entries.has(hash)) return 'exists';
    this.entries.set(hash, body);
    return 'stored';
  }
  async probe(signal: AbortSignal) {
    await this.faults(signal);
  }
}

const servers: Array<{ close(): void; closeAllConnections(): void }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function serve(storage: Storage, options: Partial<CacheServerOptions> = {}) {
  const events: LogEvent[] = [];
  const server = createCacheServer({ storage, tokens: TOKENS, maxEntryBytes: 1024, storageTimeoutMs: 300, log: (e) => events.push(e), ...options });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, server, events };
}

describe('cache server: the protocol as Nx 24 speaks it', () => {
  it('misses with 404, stores with 200 (never 202), serves the same bytes, then answers 409', async () => {
    const storage = new MemoryStorage();
    const { base } = await serve(storage);
    expect((await request(base, 'GET', '/v1/cache/16139776194764269233', { token: RW })).status).toBe(404);
    const put = await request(base, 'PUT', '/v1/cache/16139776194764269233', { token: RW, body: ENTRY });
    expect(put.status).toBe(200);
    const got = await request(base, 'GET', '/v1/cache/16139776194764269233', { token: RW });
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/octet-stream');
    expect(got.body.equals(ENTRY)).toBe(true);
    const again = await request(base, 'PUT', '/v1/cache/16139776194764269233', { token: RW, body: Buffer.from('other bytes') });
    expect(again.status).toBe(409);
    expect(storage.entries.get('16139776194764269233')?.equals(ENTRY)).toBe(true);
  });

  it('answers a bad or missing token with 401 and Content-Type text/plain exactly, on GET and PUT', async () => {
    const storage = new MemoryStorage();
    const { base } = await serve(storage);
    for (const token of ['wrong-token-0123456789', undefined, `${RW}x`, RW.slice(0, -1)]) {
      for (const method of ['GET', 'PUT']) {
        const reply = await request(base, method, '/v1/cache/123', { token, body: method === 'PUT' ? ENTRY : undefined });
        expect(reply.status).toBe(401);
        expect(reply.headers['content-type']).toBe('text/plain');
        expect(reply.body.toString()).toMatch(/NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN/);
      }
    }
    expect(storage.calls).toBe(0);
  });

  it('lets a read-only token read but never write: PUT answers 403 and stores nothing', async () => {
    const storage = new MemoryStorage();
    storage.entries.set('1', ENTRY);
    const { base } = await serve(storage);
    expect((await request(base, 'GET', '/v1/cache/1', { token: RO })).status).toBe(200);
    const put = await request(base, 'PUT', '/v1/cache/2', { token: RO, body: ENTRY });
    expect(put.status).toBe(403);
    expect(put.headers['content-type']).toBe('text/plain');
    expect(put.body.toString()).toMatch(/read-only/);
    expect(storage.entries.has('2')).toBe(false);
  });

  it('refuses an entry over the size limit with 403 (Nx keeps it local) and stores nothing', async () => {
    const storage = new MemoryStorage();
    const { base } = await serve(storage, { maxEntryBytes: 16 });
    const reply = await request(base, 'PUT', '/v1/cache/3', { token: RW, body: Buffer.alloc(17) });
    expect(reply.status).toBe(403);
    expect(reply.body.toString()).toMatch(/too large: 17 bytes, the limit is 16/);
    expect((await request(base, 'PUT', '/v1/cache/4', { token: RW, body: Buffer.alloc(16) })).status).toBe(200);
    expect([...storage.entries.keys()]).toEqual(['4']);
  });

  it('needs a Content-Length on PUT', async () => {
    const storage = new MemoryStorage();
    const { base } = await serve(storage);
    const reply = await request(base, 'PUT', '/v1/cache/5', { token: RW, body: ENTRY, headers: { 'Transfer-Encoding': 'chunked' } });
    expect(reply.status).toBe(411);
    expect(storage.entries.size).toBe(0);
  });

  it('stores nothing when the body is shorter than its Content-Length (client gone mid-upload)', async () => {
    const storage = new MemoryStorage();
    const { base, events } = await serve(storage);
    const { port } = new URL(base);
    await new Promise<void>((done) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`PUT /v1/cache/6 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${RW}\r\nContent-Length: 100\r\n\r\n`);
        socket.end(Buffer.alloc(40));
      });
      socket.on('close', () => done());
      socket.on('error', () => done());
      socket.resume();
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(storage.entries.size).toBe(0);
    expect(events.some((e) => e.status !== undefined && e.status >= 500)).toBe(false);
  });

  it('rejects hashes that are not [A-Za-z0-9_-]{1,128} before touching storage', async () => {
    const storage = new MemoryStorage();
    const { base } = await serve(storage);
    for (const path of ['/v1/cache/..%2F..%2Fetc%2Fpasswd', '/v1/cache/a.b', `/v1/cache/${'9'.repeat(129)}`]) {
      expect((await request(base, 'GET', path, { token: RW })).status).toBe(400);
    }
    expect((await request(base, 'GET', '/v1/cache/a/b', { token: RW })).status).toBe(404);
    expect((await request(base, 'GET', '/v1/cache/', { token: RW })).status).toBe(400);
    expect(storage.calls).toBe(0);
    expect((await request(base, 'GET', '/v1/cache/Ab_-9', { token: RW })).status).toBe(404);
  });

  it('answers other methods with 405 and an Allow header', async () => {
    const { base } = await serve(new MemoryStorage());
    const reply = await request(base, 'DELETE', '/v1/cache/7', { token: RW });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('GET, PUT');
  });
});

describe('cache server: fails open toward Nx', () => {
  it('turns a storage error into a GET miss (404) and a PUT refusal (403), never 5xx, and logs it', async () => {
    const storage = new MemoryStorage();
    const { base, events, server } = await serve(storage);
    storage.fail = 'throw';
    expect((await request(base, 'GET', '/v1/cache/8', { token: RW })).status).toBe(404);
    const put = await request(base, 'PUT', '/v1/cache/8', { token: RW, body: ENTRY });
    expect(put.status).toBe(403);
    expect(put.body.toString()).toMatch(/storage unavailable/);
    expect(events.filter((e) => e.event === 'storage-error').map((e) => e.error)).toEqual(['storage exploded', 'storage exploded']);
    expect(server.stats.storageErrors).toBe(2);
  });

  it('gives up on a storage that hangs after the storage timeout: GET 404, PUT 403', async () => {
    const storage = new MemoryStorage();
    const { base, events } = await serve(storage, { storageTimeoutMs: 200 });
    storage.fail = 'hang';
    const started = Date.now();
    expect((await request(base, 'GET', '/v1/cache/9', { token: RW })).status).toBe(404);
    expect((await request(base, 'PUT', '/v1/cache/9', { token: RW, body: ENTRY })).status).toBe(403);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(events.filter((e) => e.event === 'storage-error').every((e) => /did not finish within 200 ms/.test(e.error ?? ''))).toBe(true);
  });

  it('fails open on a PUT whose store call fails after the existence check passed', async () => {
    const storage = new MemoryStorage();
    storage.put = async () => {
      throw new Error('disk full');
    };
    const { base } = await serve(storage);
    expect((await request(base, 'PUT', '/v1/cache/10', { token: RW, body: ENTRY })).status).toBe(403);
  });

  it('answers /health with 200 without a token, and says when its storage is unavailable', async () => {
    const storage = new MemoryStorage();
    const { base } = await serve(storage);
    const up = await request(base, 'GET', '/health');
    expect(up.status).toBe(200);
    expect(JSON.parse(up.body.toString())).toMatchObject({ status: 'ok', storage: 'ok', backend: 'memory' });
    storage.fail = 'throw';
    const degraded = await request(base, 'GET', '/health');
    expect(degraded.status).toBe(200);
    expect(JSON.parse(degraded.body.toString())).toMatchObject({ storage: 'unavailable' });
  });
});

describe('cache server on the filesystem backend', () => {
  it('keeps the first of concurrent uploads of one hash: one 200, the rest 409, no temp files left', async () => {
    const dir = tempDir('cache-server-spec-');
    const storage = new FileStorage(dir);
    await storage.init();
    const { base } = await serve(storage, { maxEntryBytes: 1024 * 1024 });
    const bodies = Array.from({ length: 8 }, (_, i) => Buffer.alloc(64 * 1024, i));
    const replies = await Promise.all(bodies.map((body) => request(base, 'PUT', '/v1/cache/4242', { token: RW, body })));
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(7);
    const got = await request(base, 'GET', '/v1/cache/4242', { token: RW });
    expect(bodies.some((b) => b.equals(got.body))).toBe(true);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
  });
});
