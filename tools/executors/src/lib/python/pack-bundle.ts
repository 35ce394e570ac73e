// The one recipe of a worker bundle, wherever pip runs (make's etc/pkg.sh): the
// sources staged, every requirement file installed into pylib/ in one resolution,
// pylib/ cleaned, the reproducible tar.bz2 written.
import { join } from 'node:path';
import type { ArchiveEntry } from '../core/archive';
import { withTempDir } from '../core/fs';
import { PYLIB, stageBundle, writeBundle } from './bundle';
import { cleanPylib } from './clean-pylib';

export interface BundleRecipe {
  workspaceRoot: string;
  /** The lava sources, workspace-relative. */
  sourceDir: string;
  /** Under `sourceDir`, installed into pylib/. */
  requirements: readonly string[];
  /** The bundle, workspace-relative. */
  target: string;
  /**
   * Fills `pylib` (`<staging>/pylib`, absolute) from every requirement file at once, so a pin in
   * one holds against the others.
   */
  install: (pylib: string, staging: string) => Promise<void>;
  /** The scratch folder's name prefix (it says whose folder a leftover is). */
  scratchName: string;
}

export async function packBundle(r: BundleRecipe): Promise<ArchiveEntry[]> {
  return withTempDir(r.scratchName, async (scratch) => {
    const staging = join(scratch, 'bundle');
    await stageBundle(join(r.workspaceRoot, r.sourceDir), staging, r.requirements, r.sourceDir);
    await r.install(join(staging, PYLIB), staging);
    await cleanPylib(join(staging, PYLIB));
    return writeBundle(staging, join(r.workspaceRoot, r.target));
  });
}
