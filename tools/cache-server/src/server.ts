// The Nx 24 self-hosted remote cache protocol, GET/PUT /v1/cache/{hash}, and
// GET /health. Nx 24.0.6 aborts the whole run on any answer other than GET
// 200/404 and PUT 200/403/409 (see the project README), so this server fails
// open: a storage that errs or hangs makes GET a miss (404) and PUT a silent
// "not stored" (403). It never answers 5xx.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { roleOf, type Role, type Tokens } from './auth';
import { withTimeout, type Storage } from './storage/storage';

export interface CacheServerOptions {
  storage: Storage;
  tokens: Tokens;
  maxEntryBytes: number;
  storageTimeoutMs: number;
  /** One call per request and per storage failure; the default writes JSON lines. */
  log?: (event: LogEvent) => void;
}

export interface LogEvent {
  event: 'request' | 'storage-error';
  method?: string;
  hash?: string;
  status?: number;
  bytes?: number;
  ms?: number;
  role?: Role | null;
  operation?: string;
  error?: string;
}

export interface CacheServerStats {
  hits: number;
  misses: number;
  stored: number;
  exists: number;
  rejected: number;
  storageErrors: number;
}

// What Nx accepts as a hash, with room for other clients; never a path.
const HASH = /^[A-Za-z0-9_-]{1,128}$/;
const CACHE_PATH = /^\/v1\/cache\/([^/]*)$/;

function writeJsonLine(event: LogEvent): void {
  const line = JSON.stringify({ time: new Date().toISOString(), ...event });
  (event.event === 'storage-error' ? process.stderr : process.stdout).write(`${line}\n`);
}

/** Nx prints a 401's body as "Unauthorized: <body>", and only if the type is text/plain exactly. */
function sendText(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  const text = body === '' ? '' : `${body}\n`;
  res.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Reads and drops a request body, then calls `then` (answering before a body is read can break the client's upload). */
function drain(req: IncomingMessage, then: () => void): void {
  if (req.readableEnded || req.complete) return then();
  req.on('end', then);
  req.on('error', () => undefined);
  req.resume();
}

type BodyResult = { kind: 'ok'; body: Buffer } | { kind: 'short'; got: number } | { kind: 'aborted' };

/** The whole request body, checked against the declared length. */
function readBody(req: IncomingMessage, declared: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let got = 0;
    let settled = false;
    const finish = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      got += chunk.length;
      if (got > declared) {
        // Cannot happen with a Content-Length framed body; refuse rather than buffer on.
        req.destroy();
        return finish({ kind: 'aborted' });
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish(got === declared ? { kind: 'ok', body: Buffer.concat(chunks, got) } : { kind: 'short', got }));
    req.on('aborted', () => finish({ kind: 'aborted' }));
    req.on('error', () => finish({ kind: 'aborted' }));
    req.on('close', () => finish(req.complete ? { kind: 'ok', body: Buffer.concat(chunks, got) } : { kind: 'aborted' }));
  });
}

export function createCacheServer(options: CacheServerOptions): Server & { stats: CacheServerStats } {
  const log = options.log ?? writeJsonLine;
  const stats: CacheServerStats = { hits: 0, misses: 0, stored: 0, exists: 0, rejected: 0, storageErrors: 0 };
  const storageCall = <T>(operation: string, hash: string | undefined, call: (signal: AbortSignal) => Promise<T>) =>
    withTimeout(`${options.storage.kind} ${operation}`, options.storageTimeoutMs, call).catch((error: unknown) => {
      stats.storageErrors += 1;
      log({ event: 'storage-error', operation, hash, error: error instanceof Error ? error.message : String(error) });
      throw error;
    });

  async function health(res: ServerResponse): Promise<void> {
    let storage = 'ok';
    try {
      await storageCall('probe', undefined, (signal) => options.storage.probe(signal));
    } catch {
      storage = 'unavailable';
    }
    // 200 either way: with its storage down the server still answers every Nx request safely (misses).
    const body = JSON.stringify({ status: 'ok', storage, backend: options.storage.kind, ...stats });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
    res.end(body);
  }

  async function get(hash: string, res: ServerResponse): Promise<number> {
    let body: Buffer | null;
    try {
      body = await storageCall('get', hash, (signal) => options.storage.get(hash, signal));
    } catch {
      body = null; // fail open: a miss, so Nx builds
    }
    if (body === null) {
      stats.misses += 1;
      sendText(res, 404, 'not found');
      return 0;
    }
    stats.hits += 1;
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length });
    res.end(body);
    return body.length;
  }

  async function put(hash: string, role: Role, req: IncomingMessage, res: ServerResponse): Promise<number> {
    // 403 is the one refusal Nx takes silently: the result then stays in its local cache.
    const refuse = (message: string) => {
      stats.rejected += 1;
      drain(req, () => sendText(res, 403, message));
    };
    if (role !== 'read-write') return (refuse('read-only token: this token cannot write to the cache'), 0);
    const header = req.headers['content-length'];
    if (header === undefined || !/^\d+$/.test(header)) {
      drain(req, () => sendText(res, 411, 'a PUT needs a Content-Length header'));
      return 0;
    }
    const declared = Number(header);
    if (declared > options.maxEntryBytes) return (refuse(`entry too large: ${declared} bytes, the limit is ${options.maxEntryBytes}`), 0);

    let exists: boolean;
    try {
      exists = await storageCall('has', hash, (signal) => options.storage.has(hash, signal));
    } catch {
      return (refuse('storage unavailable: not stored'), 0);
    }
    if (exists) {
      stats.exists += 1;
      drain(req, () => sendText(res, 409, 'exists'));
      return 0;
    }

    const received = await readBody(req, declared);
    if (received.kind === 'aborted') return 0;
    if (received.kind === 'short') {
      sendText(res, 400, `body shorter than its Content-Length (${received.got} of ${declared} bytes)`);
      return received.got;
    }
    let result: 'stored' | 'exists';
    try {
      result = await storageCall('put', hash, (signal) => options.storage.put(hash, received.body, signal));
    } catch {
      stats.rejected += 1;
      sendText(res, 403, 'storage unavailable: not stored');
      return declared;
    }
    if (result === 'exists') {
      stats.exists += 1;
      sendText(res, 409, 'exists');
    } else {
      stats.stored += 1;
      sendText(res, 200, ''); // 200, never 202: Nx 24 counts only 200 as stored
    }
    return declared;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const path = (req.url ?? '/').split('?')[0];
    let hash: string | undefined;
    let role: Role | null | undefined;
    let bytes = 0;
    res.on('finish', () => {
      if (path === '/health') return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log({ event: 'request', method: req.method, hash, status: res.statusCode, bytes, ms: Math.round(ms * 10) / 10, role });
    });

    if (path === '/health') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return drain(req, () => sendText(res, 405, 'method not allowed', { Allow: 'GET' }));
      return health(res);
    }
    const match = CACHE_PATH.exec(path);
    if (!match) return drain(req, () => sendText(res, 404, 'not found'));
    hash = match[1];
    if (!HASH.test(hash)) return drain(req, () => sendText(res, 400, 'invalid hash'));
    role = roleOf(req.headers.authorization, options.tokens);
    if (role === null) {
      // text/plain exactly, or Nx reports a misconfigured server instead of the reason.
      return drain(req, () =>
        sendText(res, 401, 'missing or invalid bearer token; set NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN to a token this cache server accepts'),
      );
    }
    if (req.method === 'GET') {
      bytes = await get(hash, res);
    } else if (req.method === 'PUT') {
      bytes = await put(hash, role, req, res);
    } else {
      drain(req, () => sendText(res, 405, 'method not allowed', { Allow: 'GET, PUT' }));
    }
  }

  const server = createServer({ requestTimeout: 15 * 60_000 }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug, not a storage error; still no 5xx, which would abort the nx run.
      stats.storageErrors += 1;
      log({ event: 'storage-error', operation: 'handler', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      if (res.headersSent) return void res.destroy();
      drain(req, () => (req.method === 'PUT' ? sendText(res, 403, 'not stored') : sendText(res, 404, 'not found')));
    });
  });
  server.keepAliveTimeout = 65_000;
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  return Object.assign(server, { stats });
}
