// Nx's local cache entry of a task hash: whether there is one, and when it was made. Kept apart
// from nx-task-inputs.ts, which loads Nx's hash plan inspector (~60 ms): the run recorder asks this
// after every run, and needs that one only when a task's manifest must be written.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from 'nx/src/utils/cache-directory';

/**
 * The time of the local cache entry for a hash, or undefined when there is none. Nx keeps each
 * entry's outputs under `<cacheDirectory>/<hash>`; its `terminalOutputs/<hash>` alone is no entry
 * (a run with --skip-nx-cache leaves one).
 */
export function localCacheEntryTime(hash: string): Date | undefined {
  const entry = join(cacheDir, hash);
  return existsSync(entry) ? statSync(entry).mtime : undefined;
}
