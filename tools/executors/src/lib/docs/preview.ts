// The live preview of the user guide (docs:preview): the prepared pages served by
// `mkdocs serve`, prepared again on every edit of their sources, the URL announced
// once it answers (and opened in a browser unless told not to), until Ctrl-C or a failure.
import { rmSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { isBuildError } from '../core/errors';
import { withTempDir } from '../core/fs';
import { run } from '../core/process';
import { browserCommand, freePort, waitForUrl } from '../core/serve';
import { abortOnSignals, settleTogether } from '../core/stop';
import { readVersion } from '../workspace/version';
import { guideSources, refreshSiteSource, serveGuide, watchedSources, type GuideOptions, type GuideSources } from './mkdocs';

/** Printed once the guide answers; docs:preview's readyWhen matches it. */
export const READY = 'lava user guide served at';

export interface PreviewOptions extends GuideOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: a free port. */
  port?: number;
  /** Open a browser once the guide answers (default true). */
  open?: boolean;
}

/** `projectDir`: the docs project's folder, workspace-relative. Returns when the preview has stopped. */
export async function previewGuide(workspaceRoot: string, projectDir: string, options: PreviewOptions): Promise<void> {
  const sources = guideSources(workspaceRoot, projectDir, options, readVersion(workspaceRoot));
  const host = options.host ?? '127.0.0.1';
  const port = options.port || (await freePort(host));
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;

  const stop = new AbortController();
  const stopListening = abortOnSignals(stop);
  let removeExitHook = () => {};
  try {
    await withTempDir('lava-docs-preview', async (scratch) => {
      // nx may end this process as soon as mkdocs has gone, before the awaits
      // below unwind; the scratch copy goes with the process either way.
      const removeScratch = () => rmSync(scratch, { recursive: true, force: true });
      process.once('exit', removeScratch);
      removeExitHook = () => process.off('exit', removeScratch);
      const siteSource = join(scratch, 'site');
      await refreshSiteSource(sources, join(scratch, 'work'), siteSource);
      const watching = watchGuide(sources, join(scratch, 'work'), siteSource);
      try {
        const serving = serveGuide(sources, siteSource, `${host}:${port}`, { cancelSignal: stop.signal }).finally(() => stop.abort());
        const announce = waitForUrl(url, { timeoutMs: 300_000, signal: stop.signal }).then((ready) => ready && announced(url, options.open !== false));
        // Whichever fails first stops the other; the server is always gone before the scratch dir is.
        const failed = await settleTogether([serving, announce], stop);
        if (failed) throw failed.reason;
      } finally {
        await watching.close();
      }
    });
  } finally {
    removeExitHook();
    stopListening();
  }
}

/**
 * mkdocs serves the prepared pages; an edit to a chapter, the mkdocs folder, a template or the
 * cfdoc template prepares them again, and mkdocs' own reload picks up the pages that changed.
 */
function watchGuide(sources: GuideSources, work: string, siteSource: string): { close: () => Promise<void> } {
  let pending: NodeJS.Timeout | undefined;
  let refreshing = Promise.resolve();
  const refresh = () => {
    refreshing = refreshing
      .then(() => refreshSiteSource(sources, work, siteSource))
      .then(() => console.log('Guide sources changed: pages prepared again.'))
      .catch((error) => console.log(`Could not prepare the guide again: ${isBuildError(error) ? error.message : String(error)}`));
  };
  const watchers: FSWatcher[] = watchedSources(sources).map((path) =>
    watch(path, { recursive: true }, () => {
      clearTimeout(pending);
      pending = setTimeout(refresh, 300);
    }),
  );
  return {
    close: async () => {
      clearTimeout(pending);
      for (const watcher of watchers) watcher.close();
      await refreshing;
    },
  };
}

function announced(url: string, open: boolean): void {
  console.log(`${READY} ${url} (live reload; Ctrl-C stops it)`);
  if (!open) return;
  const browser = browserCommand(url);
  if ('reason' in browser) {
    console.log(`Not opening a browser: ${browser.reason}.`);
    return;
  }
  // Not awaited: a browser started by xdg-open may outlive this preview.
  run(browser.file, browser.args, { stream: false, label: 'opening a browser' }).catch((error: Error) =>
    console.log(`Could not open a browser (${error.message}); open ${url} yourself.`),
  );
}
