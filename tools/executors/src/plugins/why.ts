// Records, after every nx run, the input manifest of each cacheable task that ran or came from a
// cache (lib/why/store.ts), so `./build.sh why <task>` can say which inputs changed since its last
// cached run. The node hashes are the hash details Nx computed for this very run (task.hashDetails):
// exact, and free, where hashing again would cost a hasher and could see a file edited since. Only
// what Nx keeps per fileset, not per file, is looked up: the files of each fileset from Nx's hash
// plan and their hashes from Nx's workspace context, both in memory (~0.1 s for 40 tasks).
import type { PostTasksExecution } from '@nx/devkit';
import type * as NxProjectGraph from 'nx/src/project-graph/project-graph';
import type * as NxTaskInputs from '../lib/why/nx-task-inputs';
import { workspaceDataDirectory } from 'nx/src/utils/cache-directory';
import { localCacheEntryTime } from '../lib/why/local-cache';
import { hasManifest, pruneManifests, recordLastRun, recordManifest, whyStoreDir } from '../lib/why/store';

/** Statuses of a task that leave a cache entry for its hash. */
const ORIGIN_OF_STATUS: Record<string, 'ran' | 'local' | 'remote'> = {
  success: 'ran',
  'local-cache': 'local',
  'local-cache-kept-existing': 'local',
  'remote-cache': 'remote',
};

export const name = 'lava-why';

export const postTasksExecution: PostTasksExecution = async (_options, context) => {
  const results = Object.values(context.taskResults).filter((r) => r.task.cache && r.task.hash && ORIGIN_OF_STATUS[r.status] && !r.task.continuous);
  // `--skip-nx-cache` runs store no cache entry: nothing for a later `why` to compare against.
  if (results.length === 0 || process.env.NX_SKIP_NX_CACHE === 'true' || process.env.NX_DISABLE_NX_CACHE === 'true' || context.argv.includes('--skip-nx-cache') || context.argv.includes('--skipNxCache')) return;
  try {
    const store = whyStoreDir(workspaceDataDirectory);
    // A run or a remote restore made the cache entry now; a local hit reuses one, whose manifest stays.
    const remade = (status: string) => ORIGIN_OF_STATUS[status] !== 'local';
    const needManifest = results.filter((r) => remade(r.status) || !hasManifest(store, r.task.hash as string));
    // Loaded only when a manifest is to be written: Nx's hash plan inspector costs ~60 ms to load, a
    // price every graph computation would pay if this plugin imported it, and a no-op run needs none.
    const nxInputs = needManifest.length > 0 ? (require('../lib/why/nx-task-inputs') as typeof NxTaskInputs) : undefined;
    const graph = nxInputs ? (require('nx/src/project-graph/project-graph') as typeof NxProjectGraph).readCachedProjectGraph() : undefined;
    const inputs = nxInputs && graph ? await nxInputs.resolveInputs(context.workspaceRoot, graph, needManifest.map((r) => r.task)) : new Map();
    // A no-op run (every task a local hit, as last time, each with its manifest) writes nothing.
    let recorded = needManifest.length > 0;
    for (const result of results) {
      const task = result.task;
      const status = ORIGIN_OF_STATUS[result.status];
      const end = new Date(task.endTime ?? context.endTime);
      const resolved = inputs.get(task.id);
      if (resolved && nxInputs && graph) {
        // A local hit with no manifest yet (a cache made before this plugin): the entry's own time.
        const at = status === 'local' ? (localCacheEntryTime(task.hash as string) ?? end) : end;
        recordManifest(store, nxInputs.manifestOf(graph, task, resolved, status === 'remote' ? 'remote' : 'local', at), { replace: remade(result.status) });
      }
      if (recordLastRun(store, task.id, { hash: task.hash as string, status, at: end.toISOString() })) recorded = true;
    }
    // Nothing recorded, nothing new to prune: the next run that records prunes what Nx evicted meanwhile.
    if (recorded) pruneManifests(store, (hash) => localCacheEntryTime(hash) !== undefined);
  } catch (error) {
    // The record is a convenience: a failure here must never fail the build.
    console.warn(`⚠ lava-why: input manifests not recorded: ${error instanceof Error ? error.message : String(error)}`);
  }
};
