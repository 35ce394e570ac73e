// `./build.sh why <project>:<target>[:<configuration>]`: would this task hit the cache, and if
// not, which of its inputs changed since its last cached run. Run by build.sh as
// `node -r @swc-node/register tools/setup/why.ts <task>`.
//
// The task is hashed by Nx's own hasher, as `nx run` would hash it now (a dependency's outputs as
// they are on disk now); a hash with a local cache entry, or in the self-hosted remote cache, is a
// hit. A miss is explained against the input manifest the why plugin
// (tools/executors/src/plugins/why.ts) recorded at the task's last cached run. Environment values are never printed, only the variables' names.
import { join } from 'node:path';
import { readNxJson } from 'nx/src/config/nx-json';
import type { Task } from 'nx/src/config/task-graph';
import { createTaskHasher } from 'nx/src/hasher/create-task-hasher';
import { hashTask } from 'nx/src/hasher/hash-task';
import { createProjectGraphAsync } from 'nx/src/project-graph/project-graph';
import { createTaskGraph } from 'nx/src/tasks-runner/create-task-graph';
import { getTaskSpecificEnv } from 'nx/src/tasks-runner/task-env';
import { workspaceDataDirectory } from 'nx/src/utils/cache-directory';
import { diffManifests, formatChange } from '../executors/src/lib/why/manifest';
import { localCacheEntryTime } from '../executors/src/lib/why/local-cache';
import { manifestOf, resolveInputs } from '../executors/src/lib/why/nx-task-inputs';
import { askRemoteCache } from '../executors/src/lib/why/remote-cache';
import { readLastRun, readManifest, whyStoreDir } from '../executors/src/lib/why/store';

const ROOT = join(__dirname, '..', '..');

function fail(message: string, code = 2): never {
  console.error(`✖ ${message}`);
  process.exit(code);
}

async function main(): Promise<void> {
  const spec = process.argv[2];
  if (!spec || !/^[^:\s]+:[^:\s]+(:[^:\s]+)?$/.test(spec)) fail(`usage: ./build.sh why <project>:<target>[:<configuration>], e.g. ./build.sh why lambda-dispatch:build`);
  const [project, target, configuration] = spec.split(':');
  process.chdir(ROOT);
  const graph = await createProjectGraphAsync({ exitOnError: true });
  const node = graph.nodes[project];
  if (!node) fail(`unknown project "${project}"; run: npx nx show projects`);
  if (!node.data.targets?.[target]) fail(`${project} has no target "${target}"; known: ${Object.keys(node.data.targets ?? {}).sort().join(', ')}`);
  const taskGraph = createTaskGraph(graph, {}, [project], [target], configuration, {});
  const id = Object.keys(taskGraph.tasks).find((t) => t === spec || t === `${project}:${target}` || t.startsWith(`${project}:${target}:`)) as string;
  const task = taskGraph.tasks[id];
  if (!task.cache) {
    console.log(`${id} is not cacheable: it runs every time`);
    return;
  }

  const hasher = createTaskHasher(graph, readNxJson());
  const hash = async (t: Task) => hashTask(hasher, graph, taskGraph, t, getTaskSpecificEnv(t, graph), null);
  // Dependencies that would run first may change the outputs this task reads: say so.
  const rebuiltFirst: string[] = [];
  const dependencies = (taskGraph.dependencies[id] ?? []).map((edge) => edge.id);
  for (const dep of dependencies) {
    const depTask = taskGraph.tasks[dep];
    if (!depTask?.cache || depTask.continuous) continue;
    await hash(depTask);
    if (!localCacheEntryTime(depTask.hash as string)) rebuiltFirst.push(dep);
  }
  await hash(task);

  const store = whyStoreDir(workspaceDataDirectory);
  const current = task.hash as string;
  const entry = localCacheEntryTime(current);
  if (entry) {
    const made = readManifest(store, current);
    console.log(`${id} would hit: cached, from ${made?.origin ?? 'local'} run at ${made?.at ?? entry.toISOString()}`);
    for (const dep of rebuiltFirst) console.log(`  (as its dependencies' outputs are now: ${dep} would run first, and may change them: ./build.sh why ${dep})`);
    return;
  }

  const remote = await askRemoteCache(current);
  if (remote.kind === 'hit') {
    const at = remote.lastModified ? ` at ${remote.lastModified.toISOString()}` : '';
    console.log(`${id} would hit: cached, from remote run${at} (in the remote cache ${remote.server}; the next run restores it)`);
    for (const dep of rebuiltFirst) console.log(`  (as its dependencies' outputs are now: ${dep} would run first, and may change them: ./build.sh why ${dep})`);
    return;
  }
  const remoteNote = remote.kind === 'unreachable' ? [`  (the remote cache ${remote.server} did not answer, ${remote.reason}: it may hold this hash)`] : [];

  const last = readLastRun(store, id);
  const before = last && readManifest(store, last.hash);
  if (!before) {
    console.log(`${id} would miss: no cached run of it is recorded yet, so there is nothing to compare with (run it once: npx nx run ${id})`);
    for (const line of remoteNote) console.log(line);
    return;
  }
  const resolved = (await resolveInputs(ROOT, graph, [task])).get(id) ?? { files: {}, depOutputs: {} };
  const now = manifestOf(graph, task, resolved, 'local', new Date());
  const changes = diffManifests(before, now, new Set(Object.keys(graph.nodes)));
  console.log(`${id} would miss the cache (hash ${current}; its last cached run, ${before.origin} at ${before.at}, had ${before.hash})`);
  if (before.hash === current) console.log('  no input changed, but its cache entry is gone (nx reset, or evicted)');
  else if (changes.length === 0) console.log('  no recorded input differs (an input Nx hashes that the manifest does not list)');
  else console.log('Changed since then:');
  const producer = (file: string) =>
    dependencies.find((dep) => (taskGraph.tasks[dep]?.outputs ?? []).some((out) => file === out || file.startsWith(`${out.replace(/\/$/, '')}/`)));
  for (const change of changes) {
    const from = change.kind === 'dependency output' ? producer(change.name) : undefined;
    console.log(`${formatChange(change)}${from ? `  (output of ${from})` : ''}`);
  }
  for (const dep of rebuiltFirst) console.log(`  (${dep} would run first, and may change what it outputs: ./build.sh why ${dep})`);
  for (const line of remoteNote) console.log(line);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error), 1));
