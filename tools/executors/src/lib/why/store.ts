// The input manifests beside Nx's cache, under .nx/workspace-data/lava-why (gitignored, local):
// `manifests/<hash>.json`, one per cache entry a run made or restored, and `tasks/<task>.json`,
// the hash of each task's last cached run. Written by the why plugin after each run, read by
// `./build.sh why`.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InputManifest, Origin } from './manifest';

export interface LastRun {
  hash: string;
  /** How the last run got its result: ran it (miss) or took it from a cache. */
  status: 'ran' | Origin;
  /** When a run first left the task at this hash and status (a no-op run that repeats them writes nothing). */
  at: string;
}

export function whyStoreDir(workspaceDataDir: string): string {
  return join(workspaceDataDir, 'lava-why');
}

function taskFile(store: string, task: string): string {
  return join(store, 'tasks', `${encodeURIComponent(task)}.json`);
}

function manifestFile(store: string, hash: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(hash)) throw new Error(`not a task hash: ${JSON.stringify(hash)}`);
  return join(store, 'manifests', `${hash}.json`);
}

function writeJson(file: string, value: unknown): void {
  mkdirSync(join(file, '..'), { recursive: true });
  const staging = `${file}.${process.pid}.tmp`;
  writeFileSync(staging, `${JSON.stringify(value, null, 1)}\n`);
  renameSync(staging, file);
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function readManifest(store: string, hash: string): InputManifest | undefined {
  return readJson<InputManifest>(manifestFile(store, hash));
}

/** Whether a hash has a manifest, without reading it. */
export function hasManifest(store: string, hash: string): boolean {
  return existsSync(manifestFile(store, hash));
}

/**
 * Records the manifest of a hash, whose origin says who made the local cache entry and when. A
 * local hit keeps the manifest there is (`replace: false`); a run or a remote restore made the
 * entry anew and replaces it.
 */
export function recordManifest(store: string, manifest: InputManifest, options: { replace: boolean }): void {
  if (!options.replace && hasManifest(store, manifest.hash)) return;
  writeJson(manifestFile(store, manifest.hash), manifest);
}

export function readLastRun(store: string, task: string): LastRun | undefined {
  return readJson<LastRun>(taskFile(store, task));
}

/** Records a task's last cached run; returns whether that changed the record (the same hash and status keep the first time). */
export function recordLastRun(store: string, task: string, run: LastRun): boolean {
  const before = readLastRun(store, task);
  if (before?.hash === run.hash && before.status === run.status) return false;
  writeJson(taskFile(store, task), run);
  return true;
}

/**
 * Removes the manifests no `why` can use: `why` reads a hash's manifest for a local hit (its cache
 * entry exists) or as some task's last cached run. Nx evicts old cache entries; this follows it.
 */
export function pruneManifests(store: string, hasCacheEntry: (hash: string) => boolean): void {
  let tasks: string[];
  let manifests: string[];
  try {
    tasks = readdirSync(join(store, 'tasks')).filter((name) => name.endsWith('.json'));
    manifests = readdirSync(join(store, 'manifests')).filter((name) => name.endsWith('.json'));
  } catch {
    return;
  }
  const lastRuns = new Set(tasks.map((name) => readJson<LastRun>(join(store, 'tasks', name))?.hash));
  for (const name of manifests) {
    const hash = name.slice(0, -'.json'.length);
    if (!lastRuns.has(hash) && !hasCacheEntry(hash)) rmSync(join(store, 'manifests', name), { force: true });
  }
}
