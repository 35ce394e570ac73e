// Records, after every nx run, the input manifest of each cacheable task that ran or came from a
// cache (lib/why/store.ts), so `./build.sh why <task>` can say which inputs changed since its last
// cached run. The node hashes are the hash details Nx computed for this very run (task.hashDetails):
// exact, and free, where hashing again would cost a hasher and could see a file edited since. Only
// what Nx keeps per fileset, not per file, is looked up: the files of each fileset from Nx's hash
// plan and their hashes from Nx's workspace context, both in memory (~0.1 s for 40 tasks).
import type { PostTasksExecution } from '@nx/devkit';
// nx's own modules, which nx has loaded already when it loads a plugin.
import { readCachedProjectGraph } from 'nx/src/project-graph/project-graph';
import { workspaceDataDirectory } from 'nx/src/utils/cache-directory';
import { localCacheEntryTime, manifestOf, resolveInputs } from '../lib/why/nx-task-inputs';
import { pruneManifests, readManifest, recordLastRun, recordManifest, whyStoreDir } from '../lib/why/store';

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
    const graph = readCachedProjectGraph();
    // A run or a remote restore made the cache entry now; a local hit reuses one, whose manifest stays.
    const remade = (status: string) => ORIGIN_OF_STATUS[status] !== 'local';
    const needManifest = results.filter((r) => remade(r.status) || !readManifest(store, r.task.hash as string));
    const inputs = await resolveInputs(context.workspaceRoot, graph, needManifest.map((r) => r.task));
    for (const result of results) {
      const task = result.task;
      const status = ORIGIN_OF_STATUS[result.status];
      const end = new Date(task.endTime ?? context.endTime);
      const resolved = inputs.get(task.id);
      if (resolved) {
        // A local hit with no manifest yet (a cache made before this plugin): the entry's own time.
        const at = status === 'local' ? (localCacheEntryTime(task.hash as string) ?? end) : end;
        recordManifest(store, manifestOf(graph, task, resolved, status === 'remote' ? 'remote' : 'local', at), { replace: remade(result.status) });
      }
      recordLastRun(store, task.id, { hash: task.hash as string, status, at: end.toISOString() });
    }
    pruneManifests(store, (hash) => localCacheEntryTime(hash) !== undefined);
  } catch (error) {
    // The record is a convenience: a failure here must never fail the build.
    console.warn(`⚠ lava-why: input manifests not recorded: ${error instanceof Error ? error.message : String(error)}`);
  }
};
