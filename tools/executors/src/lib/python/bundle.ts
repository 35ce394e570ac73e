// The lava worker bundle (make's etc/pkg.sh): the worker sources, the
// requirement files and pylib/ (their `pip install --target`), as one
// reproducible tar.bz2 per runtime and arch. Host and foreign builds share
// everything here; only where pip runs differs (see pip-install.ts `wrap`).
import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { collectEntries, writeTar, type ArchiveEntry } from '../core/archive';
import { BuildError } from '../core/errors';

/**
 * What make's etc/pkg.sh copied (its LOCAL_FILES and LOCAL_MODULES), relative to the lava
 * root: `*` matches within one folder, as the shell's glob did. Only these three of etc/ ship:
 * the rest of etc/ is the build's own tooling, which pkg.sh never packed. Kept here rather than
 * read from the tree: the real tree holds the list only as shell variables inside that script,
 * and the graph needs it too (the bundle's inputs).
 */
export const BUNDLE_SOURCES = ['lava-*', 'requirements*.txt', 'install.sh', 'etc/jinja', 'etc/dyn-put-item', 'etc/yaml2json', 'bin/*', 'lava'];

/** What a bundle cannot be without (pkg.sh's find only warned about a missing path and packed the rest). */
export const BUNDLE_REQUIRED = ['lava', 'bin', 'install.sh', 'lava-run'];

/**
 * pkg.sh's sources as Nx input globs under `root` (`{projectRoot}` or a path): a folder becomes
 * everything under it, so a change anywhere else (etc/md-split, say) does not rebuild the bundle.
 */
export function bundleInputs(root: string): string[] {
  return BUNDLE_SOURCES.map((p) => (p === 'lava' || p === 'bin/*' ? `${root}/${p.replace(/\/\*$/, '')}/**/*` : `${root}/${p}`));
}

/** The paths under `sourceDir` that BUNDLE_SOURCES name (a `*` pattern expanded in its folder, byte order). */
export function expandBundleSources(sourceDir: string, patterns: readonly string[] = BUNDLE_SOURCES): string[] {
  const found: string[] = [];
  for (const pattern of patterns) {
    if (!pattern.includes('*')) {
      if (existsSync(join(sourceDir, pattern))) found.push(pattern);
      continue;
    }
    const dir = dirname(pattern) === '.' ? '' : dirname(pattern);
    const matcher = new RegExp(`^${basename(pattern).split('*').map(escapeRegExp).join('[^/]*')}$`);
    let names: string[];
    try {
      names = readdirSync(join(sourceDir, dir));
    } catch {
      continue;
    }
    // The shell's * skips dot files.
    for (const name of names.filter((n) => !n.startsWith('.') && matcher.test(n)).sort()) found.push(dir ? `${dir}/${name}` : name);
  }
  return [...new Set(found)];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Installed into pylib/, in this order. */
export const BUNDLE_REQUIREMENTS = ['requirements.txt', 'requirements-extra.txt'];

/** Never in a bundle (pkg.sh's tar excludes, plus build leftovers). */
export const BUNDLE_EXCLUDES = ['*.pyc', '__pycache__', '*.swp', '*.zip', '*.tar.*', '.DS_Store', '*.egg-info'];

export const PYLIB = 'pylib';

/** The build constraints file (workspace-relative), absolute; fails with the fix when it is missing. */
export function checkBuildConstraints(workspaceRoot: string, file: string): string {
  const path = join(workspaceRoot, file);
  if (!existsSync(path)) {
    throw new BuildError(`the build constraints file ${file} is missing`, { fix: `git checkout -- ${file}` });
  }
  return path;
}

/** Fails naming every missing requirement file, before anything runs. */
export function checkRequirementFiles(sourceDir: string, files: readonly string[], shownAs = sourceDir): void {
  const missing = files.filter((f) => !existsSync(join(sourceDir, f)));
  if (missing.length) {
    const names = missing.map((f) => `${shownAs}/${f}`).join(', ');
    throw new BuildError(`requirement file${missing.length > 1 ? 's' : ''} missing: ${names}`, {
      fix: `git checkout -- ${names.split(', ').join(' ')} (or drop ${missing.length > 1 ? 'them' : 'it'} from the target's "requirements" option)`,
    });
  }
}

/**
 * Copies the bundle's sources from `sourceDir` into `staging` as pkg.sh did (symlinks kept as
 * links, as its cpio did) and creates the empty pylib/. `requirements` are the files installed
 * into pylib/: they must exist, as must BUNDLE_REQUIRED.
 */
export async function stageBundle(sourceDir: string, staging: string, requirements: readonly string[] = BUNDLE_REQUIREMENTS, shownAs = sourceDir): Promise<string[]> {
  const missing = [...new Set([...BUNDLE_REQUIRED, ...requirements])].filter((s) => !existsSync(join(sourceDir, s)));
  if (missing.length) {
    throw new BuildError(`the worker bundle needs ${missing.map((m) => `${shownAs}/${m}`).join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} missing`, {
      fix: `git checkout -- ${missing.map((m) => `${shownAs}/${m}`).join(' ')}`,
    });
  }
  const sources = expandBundleSources(sourceDir, [...BUNDLE_SOURCES, ...requirements]);
  await mkdir(staging, { recursive: true });
  for (const source of sources) {
    await mkdir(dirname(join(staging, source)), { recursive: true });
    await cp(join(sourceDir, source), join(staging, source), { recursive: true, verbatimSymlinks: true, preserveTimestamps: false });
  }
  await mkdir(join(staging, PYLIB), { recursive: true });
  return sources;
}

/** The staged tree's entries as they will be archived (excludes applied, links kept). */
export function bundleEntries(staging: string): Promise<ArchiveEntry[]> {
  return collectEntries(staging, { exclude: BUNDLE_EXCLUDES, symlinks: 'keep' });
}

/** Writes the staged tree as a reproducible tar.bz2 at `target`, atomically. */
export async function writeBundle(staging: string, target: string): Promise<ArchiveEntry[]> {
  const entries = await bundleEntries(staging);
  await writeTar(staging, entries, target, { compression: 'bzip2' });
  return entries;
}
