// What a server target needs besides its server: a free port on the loopback
// interface, knowing when it answers, and the user's browser when there is one.
import { createServer } from 'node:net';
import { BuildError } from './errors';
import { onPath } from './process';

/** A port nobody listens on at `host` right now (the OS picks it). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error) =>
      reject(new BuildError(`cannot listen on ${host} to find a free port (${(error as Error).message})`)),
    );
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Stops waiting (the server exited, the user pressed Ctrl-C). */
  signal?: AbortSignal;
}

/** Resolves true once `url` answers 200, false if `signal` aborts first; throws on timeout. */
export async function waitForUrl(url: string, options: WaitOptions): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  while (!options.signal?.aborted) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new BuildError(`${url} did not answer within ${Math.round(options.timeoutMs / 1000)} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
  return false;
}

/**
 * How to open `url` in the user's browser, or why not: never in CI, and on
 * Linux only with a display (xdg-open would otherwise start a text browser or fail).
 */
export function browserCommand(
  url: string,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): { file: string; args: string[] } | { reason: string } {
  if (env.CI && env.CI !== 'false' && env.CI !== '0') return { reason: 'CI is set' };
  if (platform === 'darwin') return { file: 'open', args: [url] };
  if (platform === 'win32') return { file: 'explorer.exe', args: [url] };
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return { reason: 'no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  if (!onPath('xdg-open', env.PATH ?? '')) return { reason: 'xdg-open is not installed' };
  return { file: 'xdg-open', args: [url] };
}
