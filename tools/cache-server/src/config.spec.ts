import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULTS, loadConfig, parseSize } from './config';
import { tempDir } from '../../executors/src/testing/temp-dir';

const RW = 'rw-token-0123456789abcdef';

describe('loadConfig', () => {
  it('defaults to the filesystem on 127.0.0.1:3737 with a 1 GiB limit and a 30 s storage timeout', () => {
    const config = loadConfig({ CACHE_SERVER_READ_WRITE_TOKEN: RW, CACHE_SERVER_DIR: '/srv/cache' });
    expect(config).toEqual({
      host: '127.0.0.1',
      port: 3737,
      tokens: { readWrite: [RW], readOnly: [] },
      storage: { kind: 'fs', dir: '/srv/cache' },
      maxEntryBytes: DEFAULTS.maxEntryBytes,
      storageTimeoutMs: 30_000,
    });
  });

  it('reads S3 settings, token lists and token files', () => {
    const dir = tempDir('cache-config-');
    writeFileSync(join(dir, 'ro'), 'ro-token-0123456789abcdef\nro-token-fedcba9876543210\n');
    const config = loadConfig({
      CACHE_SERVER_HOST: '0.0.0.0',
      CACHE_SERVER_PORT: '8080',
      CACHE_SERVER_READ_WRITE_TOKEN: `${RW}, rw-token-fedcba9876543210`,
      CACHE_SERVER_READ_ONLY_TOKEN_FILE: join(dir, 'ro'),
      CACHE_SERVER_STORAGE: 's3',
      CACHE_SERVER_S3_BUCKET: 'nx-cache',
      CACHE_SERVER_S3_PREFIX: 'lava/',
      CACHE_SERVER_S3_ENDPOINT: 'http://127.0.0.1:9000',
      CACHE_SERVER_S3_CONDITIONAL_WRITES: 'false',
      AWS_REGION: 'eu-west-1',
      CACHE_SERVER_MAX_ENTRY_SIZE: '512MiB',
      CACHE_SERVER_STORAGE_TIMEOUT_MS: '2000',
    });
    expect(config.tokens).toEqual({ readWrite: [RW, 'rw-token-fedcba9876543210'], readOnly: ['ro-token-0123456789abcdef', 'ro-token-fedcba9876543210'] });
    expect(config.storage).toEqual({
      kind: 's3',
      bucket: 'nx-cache',
      prefix: 'lava/',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:9000',
      forcePathStyle: undefined,
      conditionalWrites: false,
    });
    expect(config.maxEntryBytes).toBe(512 * 1024 ** 2);
    expect(config.storageTimeoutMs).toBe(2000);
  });

  it.each([
    [{ CACHE_SERVER_DIR: '/x' }, /no token configured; set CACHE_SERVER_READ_WRITE_TOKEN/],
    [{ CACHE_SERVER_DIR: '/x', CACHE_SERVER_ALLOW_ANONYMOUS: 'true', CACHE_SERVER_HOST: '0.0.0.0' }, /only a loopback address/],
    [{ CACHE_SERVER_READ_WRITE_TOKEN: 'short' }, /shorter than 16 characters; generate one with: openssl rand -hex 32/],
    [{ CACHE_SERVER_READ_WRITE_TOKEN: RW, CACHE_SERVER_READ_ONLY_TOKEN: RW, CACHE_SERVER_DIR: '/x' }, /both read-write and read-only/],
    [{ CACHE_SERVER_READ_WRITE_TOKEN: RW }, /CACHE_SERVER_DIR is not set/],
    [{ CACHE_SERVER_READ_WRITE_TOKEN: RW, CACHE_SERVER_STORAGE: 's3' }, /CACHE_SERVER_S3_BUCKET is not set/],
    [{ CACHE_SERVER_READ_WRITE_TOKEN: RW, CACHE_SERVER_STORAGE: 'gcs' }, /use fs or s3/],
    [{ CACHE_SERVER_READ_WRITE_TOKEN: RW, CACHE_SERVER_DIR: '/x', CACHE_SERVER_PORT: '70000' }, /CACHE_SERVER_PORT=70000 must be an integer from 0 to 65535/],
    [{ CACHE_SERVER_READ_WRITE_TOKEN: RW, CACHE_SERVER_DIR: '/x', CACHE_SERVER_MAX_ENTRY_SIZE: '1TB' }, /not a size/],
    [{ CACHE_SERVER_READ_WRITE_TOKEN_FILE: '/nonexistent/token', CACHE_SERVER_DIR: '/x' }, /cannot be read \(ENOENT\)/],
  ])('refuses %o with a message that says what to set', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('allows an anonymous server on loopback when asked', () => {
    expect(loadConfig({ CACHE_SERVER_DIR: '/x', CACHE_SERVER_ALLOW_ANONYMOUS: 'true' }).tokens).toEqual({ readWrite: [], readOnly: [] });
  });
});

describe('parseSize', () => {
  it.each([
    ['1048576', 1048576],
    ['64KiB', 64 * 1024],
    ['2g', 2 * 1024 ** 3],
  ])('%s → %d bytes', (text, bytes) => expect(parseSize('X', text)).toBe(bytes));
});
