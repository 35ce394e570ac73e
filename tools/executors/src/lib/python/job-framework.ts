// The job-framework zip (make tools). make's dev-tools recipe ran
// `zip -q -r - ../lava/resources --exclude <MAKE_EXCLUDES>` from dev-tools/ and
// then added etc/version (`version.py -a`). This zip holds the same entries with
// two differences, both deliberate:
// - entries are relative to lava/resources (`cookiecutter/…`), where make's
//   began `../lava/resources/`, which unzip strips and in which cookiecutter
//   finds no template ("A valid repository … could not be found");
// - a dangling link fails the build, where zip skipped it with a warning.
// The excludes are make's, matched as zip matches them: against the whole
// stored name (`../lava/resources/<path>`, a folder with a trailing `/`), `*`
// crossing folders. So `*-info/*` drops only what is inside a `…-info/` folder
// (`*.egg-info/`, `*.dist-info/`) and keeps the template's `bin/git-commit-info`,
// which the rendered project's Makefile runs. Links are followed, as zip
// follows them: what they point to is stored. Cookiecutter takes a zip's first
// entry as the template folder, so that folder must sort first.
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { collectEntries, writeZip, type ArchiveEntry, type SymlinkPolicy } from '../core/archive';
import { BuildError } from '../core/errors';
import type { LavaVersion } from '../workspace/version';

/** The prefix make's zip entries carried (it zipped `../lava/resources` from dev-tools/). */
export const MAKE_PREFIX = '../lava/resources/';

/** make's dev-tools zip excludes, verbatim. */
export const MAKE_EXCLUDES = ['*dist/*', '*.pyc', '*__pycache__/*', '*.swp', '*.zip', '*.tar.*', '*-info/*', '*/.DS_Store'];

export function templateZipName(version: string): string {
  return `lava-job-framework-${version}.zip`;
}

/** An Info-ZIP wildcard as a RegExp: `*` any run of characters (`/` included), `?` one, `[…]` a set. */
export function zipWildcard(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') source += '[\\s\\S]*';
    else if (c === '?') source += '[\\s\\S]';
    else if (c === '[' && pattern.indexOf(']', i + 2) > 0) {
      const end = pattern.indexOf(']', i + 2);
      let set = pattern.slice(i + 1, end);
      if (set.startsWith('!')) set = `^${set.slice(1)}`;
      source += `[${set.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

const EXCLUDES = MAKE_EXCLUDES.map(zipWildcard);

/** Whether make's recipe left `path` (relative to lava/resources) out of its zip. */
export function excludedByMake(path: string, isDir: boolean): boolean {
  const stored = `${MAKE_PREFIX}${path}${isDir ? '/' : ''}`;
  return EXCLUDES.some((pattern) => pattern.test(stored));
}

export interface FrameworkOptions {
  symlinks?: Exclude<SymlinkPolicy, 'keep'>;
  /**
   * Folders (absolute) a link in the template may point into besides the
   * resources folder itself: the target's declared inputs, so a change behind a
   * link rebuilds the zip. A link leading elsewhere fails the build.
   */
  linkRoots?: readonly string[];
  /** Paths in messages are shown relative to this (the workspace root). */
  displayRoot?: string;
}

/** The zip's entries from `resourcesDir` (lava/resources): make's, relative, links followed. */
export async function frameworkEntries(resourcesDir: string, options: FrameworkOptions = {}): Promise<ArchiveEntry[]> {
  const entries = (await collectEntries(resourcesDir, { symlinks: options.symlinks ?? 'follow' })).filter(
    (e) => !excludedByMake(e.path, e.kind === 'dir'),
  );
  const first = entries[0];
  if (!first || first.kind !== 'dir' || first.path.includes('/') || !entries.some((e) => e.path === `${first.path}/cookiecutter.json`)) {
    throw new BuildError(
      `${resourcesDir}: the first folder in it (${first?.path ?? 'none'}) holds no cookiecutter.json, and cookiecutter takes a zip's first folder as the template; keep the template in lava/resources/cookiecutter`,
    );
  }
  if (first.path >= 'etc') {
    throw new BuildError(`the template folder "${first.path}" sorts after etc/ in the zip, so cookiecutter would take etc/ for the template: rename it (e.g. cookiecutter)`);
  }
  const roots = [resourcesDir, ...(options.linkRoots ?? [])];
  const allowed = [...roots, ...(await Promise.all(roots.map((r) => realpath(r).catch(() => r))))];
  const inside = (path: string) => allowed.some((root) => path === root || path.startsWith(`${root}${sep}`));
  for (const entry of entries) {
    if (!inside(entry.source)) {
      const show = (path: string) => relative(options.displayRoot ?? process.cwd(), path) || '.';
      const watched = roots.map(show).join(', ');
      throw new BuildError(
        `${entry.path} leads by a link to ${show(entry.source)}, outside the folders job-framework:build declares as inputs (${watched}), so a change there would not rebuild the zip: point the link into them or replace it with the file`,
      );
    }
  }
  return entries;
}

/** Writes the zip; returns its entry count. */
export async function writeTemplateZip(resourcesDir: string, target: string, version: LavaVersion, options: FrameworkOptions = {}): Promise<number> {
  const root = isAbsolute(resourcesDir) ? resourcesDir : resolve(resourcesDir);
  const entries = await frameworkEntries(root, options);
  await writeZip(entries, target, [{ path: 'etc/version', data: `${version.full}\n` }]);
  return entries.length + 1;
}
