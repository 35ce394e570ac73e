// A standard sdist built by PyPA `build` (setuptools, as the real lava's
// setup.py), then re-packed by archive.ts: setuptools stamps the tarball with
// the build's clock and the files' mtimes, so its own bytes never repeat.
import { readdir } from 'node:fs/promises';
import { cp, mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as tar from 'tar';
import { archiveEpoch, collectEntries, writeTar } from '../core/archive';
import { BuildError } from '../core/errors';
import { run } from '../core/process';

/** Source-tree leftovers that must not reach the sdist or change it. */
const NOT_SOURCES = new Set(['__pycache__', 'build', 'dist', '.DS_Store', 'project.json']);

export function sdistFileName(distribution: string, version: string): string {
  return `${distribution}-${version}.tar.gz`;
}

/** Copies a Python source tree for building, leaving caches and build leftovers behind. */
export async function copySources(sourceDir: string, into: string): Promise<void> {
  await mkdir(into, { recursive: true });
  await cp(sourceDir, into, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (path) => {
      const name = basename(path);
      return !NOT_SOURCES.has(name) && !name.endsWith('.pyc') && !name.endsWith('.egg-info');
    },
  });
}

export interface SdistOptions {
  /** The Python with `build` and setuptools (the workspace environment). */
  python: string;
  sourceDir: string;
  /** Scratch directory of this run. */
  scratch: string;
  /** The sdist expected: `<distribution>-<version>.tar.gz`. */
  expected: string;
  target: string;
}

/** Builds the sdist and writes it reproducibly at `target`. */
export async function buildSdist(options: SdistOptions): Promise<void> {
  const src = join(options.scratch, 'src');
  const out = join(options.scratch, 'out');
  const unpacked = join(options.scratch, 'unpacked');
  await copySources(options.sourceDir, src);
  await run(options.python, ['-m', 'build', '--sdist', '--no-isolation', '--outdir', out, src], {
    label: 'python -m build --sdist',
    env: { SOURCE_DATE_EPOCH: String(archiveEpoch()) },
  });
  const built = (await readdir(out)).filter((f) => f.endsWith('.tar.gz'));
  if (built.length !== 1 || built[0] !== options.expected) {
    throw new BuildError(`the sdist build wrote ${built.join(', ') || 'nothing'}, expected ${options.expected}: setup.py's name or version disagrees with lava/VERSION.json`);
  }
  await mkdir(unpacked);
  await tar.x({ file: join(out, built[0]), cwd: unpacked, preservePaths: false });
  const entries = await collectEntries(unpacked, { symlinks: 'keep' });
  await writeTar(unpacked, entries, options.target, { compression: 'gzip' });
}
