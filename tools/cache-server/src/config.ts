// The server is configured from its environment only, so the same command runs
// under nx, systemd, a container or CI. Secrets can come from files
// (…_TOKEN_FILE) so they need not sit in a unit file or a process listing.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { Tokens } from './auth';

export interface FsStorageConfig {
  kind: 'fs';
  dir: string;
}

export interface S3StorageConfig {
  kind: 's3';
  bucket: string;
  prefix: string;
  region?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  conditionalWrites: boolean;
}

export interface ServerConfig {
  host: string;
  port: number;
  tokens: Tokens;
  storage: FsStorageConfig | S3StorageConfig;
  /** The largest entry accepted; a larger PUT gets 403 and Nx keeps the result local. */
  maxEntryBytes: number;
  /** Deadline of each storage call. */
  storageTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 3737,
  maxEntryBytes: 1024 ** 3,
  storageTimeoutMs: 30_000,
} as const;

type Env = Record<string, string | undefined>;

const UNITS: Record<string, number> = { '': 1, k: 1024, kib: 1024, m: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gib: 1024 ** 3 };

/** "1073741824", "512MiB", "2g" → bytes. */
export function parseSize(name: string, text: string): number {
  const match = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(text);
  const unit = match ? UNITS[match[2].toLowerCase()] : undefined;
  if (!match || unit === undefined || Number(match[1]) <= 0) {
    throw new ConfigError(`${name}=${text} is not a size; give bytes or a number with KiB, MiB or GiB, e.g. ${name}=512MiB`);
  }
  return Number(match[1]) * unit;
}

function parseInteger(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
    throw new ConfigError(`${name}=${text} must be an integer from ${min} to ${max}`);
  }
  return value;
}

function parseBoolean(name: string, text: string): boolean {
  if (/^(1|true|yes|on)$/i.test(text)) return true;
  if (/^(0|false|no|off)$/i.test(text)) return false;
  throw new ConfigError(`${name}=${text} must be true or false`);
}

/** A comma-separated token list from NAME, or from the file NAME_FILE (one token per line or comma-separated). */
function tokenList(env: Env, name: string): string[] {
  const file = env[`${name}_FILE`];
  let text = env[name] ?? '';
  if (file) {
    if (env[name]) throw new ConfigError(`set ${name} or ${name}_FILE, not both`);
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`${name}_FILE=${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? error}); point it at a file holding the token`);
    }
  }
  const tokens = text.split(/[,\n]/).map((t) => t.trim()).filter((t) => t.length > 0);
  for (const token of tokens) {
    if (/\s/.test(token)) throw new ConfigError(`a token in ${name} contains white space; tokens are single words`);
    if (token.length < 16) throw new ConfigError(`a token in ${name} is shorter than 16 characters; generate one with: openssl rand -hex 32`);
  }
  return tokens;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

export function loadConfig(env: Env = process.env): ServerConfig {
  const host = env.CACHE_SERVER_HOST || DEFAULTS.host;
  const port = env.CACHE_SERVER_PORT ? parseInteger('CACHE_SERVER_PORT', env.CACHE_SERVER_PORT, 0, 65535) : DEFAULTS.port;
  const tokens: Tokens = {
    readWrite: tokenList(env, 'CACHE_SERVER_READ_WRITE_TOKEN'),
    readOnly: tokenList(env, 'CACHE_SERVER_READ_ONLY_TOKEN'),
  };
  const overlap = tokens.readWrite.filter((t) => tokens.readOnly.includes(t));
  if (overlap.length > 0) throw new ConfigError('a token is both read-write and read-only; give each kind its own tokens');
  const anonymous = env.CACHE_SERVER_ALLOW_ANONYMOUS ? parseBoolean('CACHE_SERVER_ALLOW_ANONYMOUS', env.CACHE_SERVER_ALLOW_ANONYMOUS) : false;
  if (tokens.readWrite.length === 0 && tokens.readOnly.length === 0) {
    if (!anonymous) {
      throw new ConfigError(
        'no token configured; set CACHE_SERVER_READ_WRITE_TOKEN (and CACHE_SERVER_READ_ONLY_TOKEN for pull requests), e.g. CACHE_SERVER_READ_WRITE_TOKEN=$(openssl rand -hex 32), or CACHE_SERVER_ALLOW_ANONYMOUS=true for a test server on 127.0.0.1',
      );
    }
    if (!isLoopback(host)) throw new ConfigError(`CACHE_SERVER_ALLOW_ANONYMOUS serves only a loopback address, not ${host}; set tokens to listen on ${host}`);
  }

  const kind = env.CACHE_SERVER_STORAGE || 'fs';
  let storage: ServerConfig['storage'];
  if (kind === 'fs') {
    const dir = env.CACHE_SERVER_DIR;
    if (!dir) throw new ConfigError('CACHE_SERVER_DIR is not set; set it to the folder that keeps the cache, e.g. CACHE_SERVER_DIR=/var/lib/nx-cache');
    storage = { kind: 'fs', dir };
  } else if (kind === 's3') {
    const bucket = env.CACHE_SERVER_S3_BUCKET;
    if (!bucket) throw new ConfigError('CACHE_SERVER_S3_BUCKET is not set; set it to the bucket that keeps the cache');
    storage = {
      kind: 's3',
      bucket,
      prefix: env.CACHE_SERVER_S3_PREFIX ?? '',
      region: env.CACHE_SERVER_S3_REGION || env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined,
      endpoint: env.CACHE_SERVER_S3_ENDPOINT || undefined,
      forcePathStyle: env.CACHE_SERVER_S3_FORCE_PATH_STYLE ? parseBoolean('CACHE_SERVER_S3_FORCE_PATH_STYLE', env.CACHE_SERVER_S3_FORCE_PATH_STYLE) : undefined,
      conditionalWrites: env.CACHE_SERVER_S3_CONDITIONAL_WRITES ? parseBoolean('CACHE_SERVER_S3_CONDITIONAL_WRITES', env.CACHE_SERVER_S3_CONDITIONAL_WRITES) : true,
    };
    if (storage.endpoint && !/^https?:\/\//.test(storage.endpoint)) {
      throw new ConfigError(`CACHE_SERVER_S3_ENDPOINT=${storage.endpoint} must be an http(s) URL, e.g. http://127.0.0.1:9000`);
    }
  } else {
    throw new ConfigError(`CACHE_SERVER_STORAGE=${kind} is not a storage; use fs or s3`);
  }

  return {
    host,
    port,
    tokens,
    storage,
    maxEntryBytes: env.CACHE_SERVER_MAX_ENTRY_SIZE ? parseSize('CACHE_SERVER_MAX_ENTRY_SIZE', env.CACHE_SERVER_MAX_ENTRY_SIZE) : DEFAULTS.maxEntryBytes,
    storageTimeoutMs: env.CACHE_SERVER_STORAGE_TIMEOUT_MS
      ? parseInteger('CACHE_SERVER_STORAGE_TIMEOUT_MS', env.CACHE_SERVER_STORAGE_TIMEOUT_MS, 100, 3_600_000)
      : DEFAULTS.storageTimeoutMs,
  };
}
