import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { BuildError } from './errors';
import { browserCommand, freePort, waitForUrl } from './serve';

describe('freePort', () => {
  it('returns a port that can then be listened on', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('waitForUrl', () => {
  let server: Server | undefined;
  afterEach(() => new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined))));

  it('resolves once the server answers 200, even if it starts late', async () => {
    const port = await freePort();
    setTimeout(() => {
      server = createServer((_req, res) => res.end('ok')).listen(port, '127.0.0.1');
    }, 300);
    await expect(waitForUrl(`http://127.0.0.1:${port}/`, { timeoutMs: 10_000, intervalMs: 50 })).resolves.toBe(true);
  });

  it('gives up with a BuildError naming the URL when nothing answers', async () => {
    const port = await freePort();
    await expect(waitForUrl(`http://127.0.0.1:${port}/`, { timeoutMs: 200, intervalMs: 50 })).rejects.toThrow(
      new BuildError(`http://127.0.0.1:${port}/ did not answer within 0 s`),
    );
  });

  it('stops waiting when aborted', async () => {
    const port = await freePort();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(waitForUrl(`http://127.0.0.1:${port}/`, { timeoutMs: 60_000, signal: controller.signal })).resolves.toBe(false);
  });
});

describe('browserCommand', () => {
  const url = 'http://127.0.0.1:8000/';
  it.each([
    ['linux', { CI: 'true', DISPLAY: ':0', PATH: '/usr/bin' }, { reason: 'CI is set' }],
    ['linux', { PATH: '/usr/bin' }, { reason: 'no display (DISPLAY and WAYLAND_DISPLAY are unset)' }],
    ['linux', { DISPLAY: ':0', PATH: '/nonexistent' }, { reason: 'xdg-open is not installed' }],
    ['darwin', { PATH: '' }, { file: 'open', args: [url] }],
  ] as const)('%s %j → %j', (platform, env, expected) => {
    expect(browserCommand(url, platform, env)).toEqual(expected);
  });

  it('uses xdg-open on a Linux desktop', () => {
    // xdg-open comes with Debian's chromium (tools/setup/apt-packages.txt).
    expect(browserCommand(url, 'linux', { DISPLAY: ':0', PATH: '/usr/bin:/bin' })).toEqual({ file: 'xdg-open', args: [url] });
  });
});
