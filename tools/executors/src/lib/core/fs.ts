// Outputs appear whole or not at all: everything is written beside its final
// name and renamed into place, and a failure removes the half-written file. A
// writer killed outright (kill -9) cannot clean up: its staging file and scratch
// directory carry its pid, and the next write or scratch directory sweeps those
// of dead owners (lib/core/sweep.ts).
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { STAGING, sweepDead, sweepScratch } from './sweep';

/** A unique sibling name for `target`, in the same directory so rename is atomic. */
export function stagingPathFor(target: string): string {
  const nonce = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  return join(dirname(target), `.${basename(target)}.${nonce}.tmp`);
}

/**
 * Runs `produce` with a staging path beside `target` (a file or a directory),
 * then renames it onto `target`. If `produce` throws, nothing is left behind.
 */
export async function writeAtomically<T>(target: string, produce: (staging: string) => Promise<T>): Promise<T> {
  await mkdir(dirname(target), { recursive: true });
  await sweepDead(dirname(target), STAGING);
  const staging = stagingPathFor(target);
  try {
    const result = await produce(staging);
    await rm(target, { recursive: true, force: true });
    await rename(staging, target);
    return result;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await writeAtomically(target, (staging) => writeFile(staging, data));
}

/** A fresh scratch directory for one run (`<tmp>/<prefix>-p<pid>-XXXXXX`), removed afterwards whatever happens. */
export async function withTempDir<T>(prefix: string, use: (dir: string) => Promise<T>): Promise<T> {
  await sweepScratch();
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-p${process.pid}-`));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
