// The cache server's command:
//   node -r @swc-node/register tools/cache-server/src/main.ts   (from a checkout, after npm ci)
//   node dist/cache-server/main.js                              (after nx run cache-server:build)
// configured from its environment (see config.ts and the README).
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig, type ServerConfig } from './config';
import { createCacheServer } from './server';
import { FileStorage } from './storage/fs';
import { S3Storage } from './storage/s3';
import type { Storage } from './storage/storage';

async function openStorage(config: ServerConfig): Promise<Storage> {
  if (config.storage.kind === 'fs') {
    const storage = new FileStorage(config.storage.dir);
    await storage.init();
    return storage;
  }
  return S3Storage.create({ ...config.storage, requestTimeoutMs: config.storageTimeoutMs });
}

function where(config: ServerConfig): string {
  return config.storage.kind === 'fs'
    ? `fs ${config.storage.dir}`
    : `s3 ${config.storage.bucket}/${config.storage.prefix}${config.storage.endpoint ? ` at ${config.storage.endpoint}` : ''}`;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const storage = await openStorage(config);
  const server = createCacheServer({ storage, tokens: config.tokens, maxEntryBytes: config.maxEntryBytes, storageTimeoutMs: config.storageTimeoutMs });
  server.on('error', (error: NodeJS.ErrnoException) => {
    const hint = error.code === 'EADDRINUSE' ? `; set CACHE_SERVER_PORT to a free port` : '';
    process.stderr.write(`✖ cache-server: cannot listen on ${config.host}:${config.port}: ${error.message}${hint}\n`);
    process.exit(1);
  });
  server.listen(config.port, config.host, () => {
    const { address, port } = server.address() as AddressInfo;
    const host = address.includes(':') ? `[${address}]` : address;
    const kinds = `${config.tokens.readWrite.length} read-write and ${config.tokens.readOnly.length} read-only token(s)`;
    const auth = config.tokens.readWrite.length + config.tokens.readOnly.length === 0 ? 'anonymous (no token)' : kinds;
    process.stdout.write(`cache-server listening on http://${host}:${port} (storage ${where(config)}, ${auth})\n`);
  });
  const stop = (signal: string) => {
    process.stdout.write(`cache-server stopping (${signal})\n`);
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`✖ cache-server: ${error.message}\n`);
  } else {
    process.stderr.write(`✖ cache-server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
