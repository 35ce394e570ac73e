// CI preflight for the self-hosted remote cache. Nx 24 fails the whole run
// when the cache server cannot be reached (and hangs when it never answers),
// so before any nx command CI asks the server's /health; when that does not
// answer 200 in time, it turns the remote cache off for the rest of the job
// with NX_SKIP_REMOTE_CACHE=true, and the build runs with its local cache.
//
//   node -r @swc-node/register tools/cache-server/src/preflight.ts
//
// In GitHub Actions the variable goes to $GITHUB_ENV; elsewhere the command
// prints `export NX_SKIP_REMOTE_CACHE=true` for `eval "$(…)"`. It always exits 0.
import { appendFileSync } from 'node:fs';

export interface PreflightResult {
  /** True when the remote cache should be skipped. */
  skip: boolean;
  message: string;
}

export async function checkRemoteCache(server: string | undefined, timeoutMs = 5000): Promise<PreflightResult> {
  if (!server) return { skip: false, message: 'no self-hosted remote cache configured (NX_SELF_HOSTED_REMOTE_CACHE_SERVER is empty)' };
  let url: URL;
  try {
    url = new URL(`${server.replace(/\/+$/, '')}/health`);
  } catch {
    return { skip: true, message: "NX_SELF_HOSTED_REMOTE_CACHE_SERVER is not a URL (e.g. https://cache.example); remote cache skipped" };
  }
  // /health needs no credentials, and none may reach a log.
  url.username = '';
  url.password = '';
  const shown = `${url.protocol}//${url.host}`;
  if (server.endsWith('/')) {
    return { skip: true, message: `NX_SELF_HOSTED_REMOTE_CACHE_SERVER ends with "/", which nx turns into "//v1/cache/…"; remove the slash. Remote cache skipped` };
  }
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    await response.arrayBuffer().catch(() => undefined);
    if (response.status === 200) return { skip: false, message: `remote cache ${shown} is up` };
    return { skip: true, message: `remote cache ${shown}/health answered ${response.status}; remote cache skipped for this job` };
  } catch (error) {
    const why = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : String((error as Error).cause ?? (error as Error).message);
    return { skip: true, message: `remote cache ${shown} unreachable (${why}); remote cache skipped for this job` };
  }
}

async function main(): Promise<void> {
  const timeoutMs = Number(process.env.NX_REMOTE_CACHE_PREFLIGHT_TIMEOUT_MS || 5000);
  const result = await checkRemoteCache(process.env.NX_SELF_HOSTED_REMOTE_CACHE_SERVER, timeoutMs);
  const inActions = process.env.GITHUB_ACTIONS === 'true';
  process.stderr.write(`${result.skip && inActions ? '::warning title=Remote cache::' : ''}${result.message}\n`);
  if (!result.skip) return;
  if (process.env.GITHUB_ENV) appendFileSync(process.env.GITHUB_ENV, 'NX_SKIP_REMOTE_CACHE=true\n');
  process.stdout.write('export NX_SKIP_REMOTE_CACHE=true\n');
}

if (require.main === module) void main();
