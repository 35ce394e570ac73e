import { rmSync, watch, type FSWatcher } from 'node:fs';
import { join, relative } from 'node:path';
import { isBuildError } from '../../lib/core/errors';
import { lavaExecutor, projectRoot } from '../../lib/core/executor';
import { withTempDir } from '../../lib/core/fs';
import { guideSources, refreshSiteSource, serveGuide, watchedSources } from '../../lib/docs/mkdocs';
import { run } from '../../lib/core/process';
import { browserCommand, freePort, waitForUrl } from '../../lib/core/serve';
import { readVersion } from '../../lib/workspace/version';
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
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  const watchers: FSWatcher[] = [];
  const cleanups: (() => void)[] = [];
  try {
    await withTempDir('lava-docs-preview', async (scratch) => {
      // nx may end this process as soon as mkdocs has gone, before the awaits
      // below unwind; the scratch copy goes with the process either way.
      const removeScratch = () => rmSync(scratch, { recursive: true, force: true });
      process.once('exit', removeScratch);
      cleanups.push(() => process.off('exit', removeScratch));
      // mkdocs serves the prepared pages; an edit to a chapter, the mkdocs
      // folder, a template or the cfdoc template prepares them again, and
      // mkdocs' own reload picks up the pages that changed.
      const siteSource = join(scratch, 'site');
      await refreshSiteSource(sources, join(scratch, 'work'), siteSource);
      let pending: NodeJS.Timeout | undefined;
      let refreshing = Promise.resolve();
      const refresh = () => {
        refreshing = refreshing
          .then(() => refreshSiteSource(sources, join(scratch, 'work'), siteSource))
          .then(() => console.log('Guide sources changed: pages prepared again.'))
          .catch((error) => console.log(`Could not prepare the guide again: ${isBuildError(error) ? error.message : String(error)}`));
      };
      for (const path of watchedSources(sources)) {
        watchers.push(
          watch(path, { recursive: true }, () => {
            clearTimeout(pending);
            pending = setTimeout(refresh, 300);
          }),
        );
      }
      const serving = serveGuide(sources, siteSource, `${host}:${port}`, { cancelSignal: stop.signal }).finally(() => stop.abort());
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
      clearTimeout(pending);
      for (const watcher of watchers.splice(0)) watcher.close();
      await refreshing;
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    });
  } finally {
    for (const watcher of watchers) watcher.close();
    for (const cleanup of cleanups) cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }
});
