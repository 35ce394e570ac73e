// Whether Nx's self-hosted remote cache (NX_SELF_HOSTED_REMOTE_CACHE_SERVER, the protocol of
// tools/cache-server) holds a task hash, asked as Nx asks it (`GET /v1/cache/<hash>` with the
// bearer token), reading the answer's headers only. Nx Cloud and the cache packages have no such
// question a client may ask: for them the answer is "unknown".
import { redactUrl } from '../core/redact';

export type RemoteAnswer =
  | { kind: 'none' }
  | { kind: 'hit'; server: string; lastModified?: Date }
  | { kind: 'miss'; server: string }
  | { kind: 'unreachable'; server: string; reason: string };

export async function askRemoteCache(hash: string, env: NodeJS.ProcessEnv = process.env, timeoutMs = 5000): Promise<RemoteAnswer> {
  const base = env.NX_SELF_HOSTED_REMOTE_CACHE_SERVER;
  if (!base || env.NX_SKIP_REMOTE_CACHE === 'true') return { kind: 'none' };
  const server = redactUrl(base);
  const token = env.NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN;
  try {
    // fetch refuses a URL with credentials: they go as basic auth, unless a token is given.
    const url = new URL(`${base.replace(/\/+$/, '')}/v1/cache/${encodeURIComponent(hash)}`);
    const basic = url.username ? Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64') : undefined;
    url.username = '';
    url.password = '';
    const authorization = token ? `Bearer ${token}` : basic ? `Basic ${basic}` : undefined;
    // The answer's headers say it all: the entry itself (the task's outputs) is never downloaded.
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const response = await fetch(url, { headers: authorization ? { authorization } : {}, signal: stop.signal }).finally(() => clearTimeout(timer));
    stop.abort();
    if (response.status === 200) {
      const modified = response.headers.get('last-modified');
      return { kind: 'hit', server, ...(modified && !Number.isNaN(Date.parse(modified)) ? { lastModified: new Date(modified) } : {}) };
    }
    if (response.status === 404) return { kind: 'miss', server };
    return { kind: 'unreachable', server, reason: `HTTP ${response.status}` };
  } catch (error) {
    return { kind: 'unreachable', server, reason: redactUrl(error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)) };
  }
}
