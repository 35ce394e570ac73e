import { relative } from 'node:path';
import { lavaExecutor, projectRoot } from '../../lib/executor';
import { withTempDir } from '../../lib/fs';
import { guideSources, serveGuide } from '../../lib/mkdocs';
import { run } from '../../lib/process';
import { browserCommand, freePort, waitForUrl } from '../../lib/serve';
import { readVersion } from '../../lib/version';
import type { MkdocsServeExecutorSchema } from './schema';

/** Printed once the guide answers; docs:preview's readyWhen matches it. */
export const READY = 'lava user guide served at';

export default lavaExecutor<MkdocsServeExecutorSchema>(async (options, context) => {
  const version = readVersion(context.root);
  const sources = guideSources(context.root, relative(context.root, projectRoot(context)), options, version);
  const host = options.host ?? '127.0.0.1';
  const port = options.port || (await freePort(host));
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;

  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await withTempDir('lava-docs-preview', async (scratch) => {
      const serving = serveGuide(sources, `${host}:${port}`, scratch, { cancelSignal: stop.signal }).finally(() => stop.abort());
      const announce = waitForUrl(url, { timeoutMs: 300_000, signal: stop.signal }).then((ready) => {
        if (!ready) return;
        console.log(`${READY} ${url} (live reload; Ctrl-C stops it)`);
        if (options.open === false) return;
        const browser = browserCommand(url);
        if ('reason' in browser) {
          console.log(`Not opening a browser: ${browser.reason}.`);
          return;
        }
        // Not awaited: a browser started by xdg-open may outlive this preview.
        run(browser.file, browser.args, { stream: false, label: 'opening a browser' }).catch((error: Error) =>
          console.log(`Could not open a browser (${error.message}); open ${url} yourself.`),
        );
      });
      // Whichever fails first stops the other; the server is always gone before the scratch dir is.
      const results = await Promise.allSettled([serving, announce.catch((error) => (stop.abort(), Promise.reject(error)))]);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
});
