// The S3 backend against a real S3-compatible server on 127.0.0.1 (moto).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBucket, MOTO_CREDENTIALS, startMoto, type RunningProcess } from '../testing/processes';
import { S3Storage } from './s3';

let moto: RunningProcess;
const signal = new AbortController().signal;

beforeAll(async () => {
  moto = await startMoto();
  Object.assign(process.env, MOTO_CREDENTIALS);
  await createBucket(moto.url, 'nx-cache-spec');
}, 60_000);
afterAll(async () => moto?.stop());

const open = (options: Partial<Parameters<typeof S3Storage.create>[0]> = {}) =>
  S3Storage.create({ bucket: 'nx-cache-spec', endpoint: moto.url, requestTimeoutMs: 5000, ...options });

describe('S3Storage (moto on 127.0.0.1)', () => {
  it('stores under <prefix><hash>, reads back the same bytes, and never replaces an entry (If-None-Match)', async () => {
    const storage = await open({ prefix: 'lava/' });
    const body = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256));
    expect(await storage.has('1001', signal)).toBe(false);
    expect(await storage.get('1001', signal)).toBeNull();
    expect(await storage.put('1001', body, signal)).toBe('stored');
    expect(await storage.has('1001', signal)).toBe(true);
    expect((await storage.get('1001', signal))?.equals(body)).toBe(true);
    expect(await storage.put('1001', Buffer.from('different'), signal)).toBe('exists');
    expect((await storage.get('1001', signal))?.equals(body)).toBe(true);
    expect(await (await open()).has('1001', signal)).toBe(false); // the prefix separates caches
    await expect(storage.probe(signal)).resolves.toBeUndefined();
  });

  it('reports a missing bucket from probe and from put', async () => {
    const storage = await open({ bucket: 'no-such-bucket' });
    await expect(storage.probe(signal)).rejects.toThrow();
    await expect(storage.put('1002', Buffer.from('x'), signal)).rejects.toThrow();
  });

  it('fails (and so fails open in the server) when the endpoint is gone', async () => {
    const storage = await S3Storage.create({ bucket: 'nx-cache-spec', endpoint: 'http://127.0.0.1:9', requestTimeoutMs: 1000 });
    await expect(storage.get('1003', signal)).rejects.toThrow(/ECONNREFUSED/);
  });
});
