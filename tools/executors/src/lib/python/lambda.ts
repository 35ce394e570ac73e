// A Lambda zip: the handler files at the root, the lava package, and the
// requirements installed for the Lambda's platform. Unlike make's pkg.sh, compiled
// extensions stay (they were built for that platform) and a symlink is stored as
// what it points to, or fails the build when it dangles; never silently dropped.
import { readdir } from 'node:fs/promises';
import { collectEntries, writeZip, type ArchiveEntry } from '../core/archive';
import { BuildError } from '../core/errors';

export const LAMBDA_DEFAULTS = { runtime: 'amzn2023-py3.13', platform: 'linux/arm64', lavaPackage: 'packages/lava/lava', outputPath: 'dist/lambda' };

/** Left out wherever they are (pkg.sh's excludes, minus `*.so`). */
export const LAMBDA_EXCLUDES = ['*.pyc', '__pycache__', '*.swp', '.DS_Store'];

export function lambdaZipPath(name: string, version: string, outputPath = LAMBDA_DEFAULTS.outputPath): string {
  return `${outputPath}/${name}-${version}.zip`;
}

export interface LambdaParts {
  /** The Lambda's folder: its `*.py` files go to the zip root. */
  handlerDir: string;
  /** The lava package directory, zipped as `lava/`. */
  lavaPackage: string;
  /** The `pip install --target` tree. */
  packages: string;
}

const under = (prefix: string, entries: ArchiveEntry[]) => entries.map((e) => ({ ...e, path: `${prefix}/${e.path}` }));

/** Every zip entry, checked for clashes (a handler named like a package would shadow it). */
export async function lambdaEntries(parts: LambdaParts): Promise<ArchiveEntry[]> {
  const options = { exclude: LAMBDA_EXCLUDES, symlinks: 'follow' as const };
  const handlerNames = new Set((await readdir(parts.handlerDir)).filter((f) => f.endsWith('.py')));
  if (handlerNames.size === 0) throw new BuildError(`${parts.handlerDir} has no handler (*.py) files`);
  const handlers = (await collectEntries(parts.handlerDir, options)).filter((e) => !e.path.includes('/') && handlerNames.has(e.path));
  const lava = [{ path: 'lava', kind: 'dir' as const, source: parts.lavaPackage, mode: 0o755 }, ...under('lava', await collectEntries(parts.lavaPackage, options))];
  const installed = await collectEntries(parts.packages, options);
  const all = [...handlers, ...lava, ...installed];
  const seen = new Map<string, ArchiveEntry>();
  for (const entry of all) {
    const before = seen.get(entry.path);
    if (before && !(before.kind === 'dir' && entry.kind === 'dir')) {
      throw new BuildError(`two files want the zip path ${entry.path}: ${before.source} and ${entry.source}`, {
        fix: `rename one, or drop the requirement that installs ${entry.path.split('/')[0]}`,
      });
    }
    seen.set(entry.path, entry);
  }
  return [...seen.values()];
}

export async function writeLambdaZip(parts: LambdaParts, target: string): Promise<ArchiveEntry[]> {
  const entries = await lambdaEntries(parts);
  await writeZip(entries, target);
  return entries;
}
