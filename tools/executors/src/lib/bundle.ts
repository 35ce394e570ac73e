// The lava worker bundle (make's etc/pkg.sh): the worker sources, the
// requirement files and pylib/ (their `pip install --target`), as one
// reproducible tar.bz2 per runtime and arch. Host and foreign builds share
// everything here; only where pip runs differs (see pip.ts `wrap`).
import { existsSync } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { collectEntries, writeTar, type ArchiveEntry } from './archive';
import { BuildError } from './errors';

/** What make's pkg.sh copied: root `lava-*`, requirement files, install.sh, etc/, bin/, lava/. */
export const BUNDLE_SOURCES = ['bin', 'etc', 'install.sh', 'lava', 'lava-run', 'requirements.txt', 'requirements-extra.txt', 'requirements-build.txt'];

/** Installed into pylib/, in this order. */
export const BUNDLE_REQUIREMENTS = ['requirements.txt', 'requirements-extra.txt'];

/** Never in a bundle (pkg.sh's tar excludes, plus build leftovers). */
export const BUNDLE_EXCLUDES = ['*.pyc', '__pycache__', '*.swp', '*.zip', '*.tar.*', '.DS_Store', '*.egg-info'];

export const PYLIB = 'pylib';

export interface BundleId {
  version: string;
  /** `debian12-py3.11` */
  runtime: string;
  /** `<ID><major>` of the runtime, e.g. `debian12` */
  os: string;
  /** `uname -m` spelling: x86_64 | aarch64 */
  arch: string;
}

export function bundleFileName(id: BundleId): string {
  return `lava-${id.version}-${id.runtime}-${id.arch}.tar.bz2`;
}

/** `dist/pkg/<os>/lava-<version>-<runtime>-<arch>.tar.bz2`, relative to the workspace root. */
export function bundlePath(id: BundleId, outputDir = 'dist/pkg'): string {
  return `${outputDir}/${id.os}/${bundleFileName(id)}`;
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
 * Copies the bundle's sources from `sourceDir` into `staging` (symlinks kept as
 * links, as pkg.sh's cpio did) and creates the empty pylib/.
 */
export async function stageBundle(sourceDir: string, staging: string, sources: readonly string[] = BUNDLE_SOURCES, shownAs = sourceDir): Promise<void> {
  const missing = sources.filter((s) => !existsSync(join(sourceDir, s)));
  if (missing.length) {
    throw new BuildError(`the worker bundle needs ${missing.map((m) => `${shownAs}/${m}`).join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} missing`, {
      fix: `git checkout -- ${missing.map((m) => `${shownAs}/${m}`).join(' ')}`,
    });
  }
  await mkdir(staging, { recursive: true });
  for (const source of sources) {
    await cp(join(sourceDir, source), join(staging, source), { recursive: true, verbatimSymlinks: true, preserveTimestamps: false });
  }
  await mkdir(join(staging, PYLIB), { recursive: true });
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
