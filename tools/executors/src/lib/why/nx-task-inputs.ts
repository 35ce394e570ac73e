// The inputs of a task as Nx itself resolves and hashes them, for input manifests. Nothing here
// re-derives Nx's rules: the files and dependency outputs come from Nx's hash plan
// (HashPlanInspector), a file's hash from Nx's workspace context (the hash Nx folds into the
// fileset's), the node hashes from Nx's hasher (or the hashDetails a run already computed).
import { join } from 'node:path';
import type { ProjectGraph } from 'nx/src/config/project-graph';
import type { Task } from 'nx/src/config/task-graph';
import { HashPlanInspector } from 'nx/src/hasher/hash-plan-inspector';
import { hashFile } from 'nx/src/native';
import { getAllFileDataInContext } from 'nx/src/utils/workspace-context';
import { protectOptions, type InputManifest, type Origin } from './manifest';

export interface ResolvedInputs {
  files: Record<string, string>;
  depOutputs: Record<string, string>;
}

/** The overrides a task was given, without nx's record of the unparsed command line. */
function parsedOverrides(task: Pick<Task, 'overrides'>): Record<string, unknown> {
  const { __overrides_unparsed__: _, ...rest } = task.overrides ?? {};
  return rest;
}

/** The options the executor receives: the target's, its configuration's, then the overrides. */
export function resolvedOptions(graph: ProjectGraph, task: Pick<Task, 'target' | 'overrides'>): Record<string, unknown> {
  const target = graph.nodes[task.target.project]?.data.targets?.[task.target.target];
  const configuration = task.target.configuration ?? target?.defaultConfiguration;
  return { ...(target?.options ?? {}), ...(configuration ? target?.configurations?.[configuration] : {}), ...parsedOverrides(task) };
}

/** What else of the target Nx hashes (in its project's configuration): plain configuration, no secrets. */
export function targetDefinition(graph: ProjectGraph, task: Pick<Task, 'target' | 'outputs'>): Record<string, unknown> {
  const target = graph.nodes[task.target.project]?.data.targets?.[task.target.target];
  return { executor: target?.executor ?? target?.command, inputs: target?.inputs, outputs: task.outputs, dependsOn: target?.dependsOn };
}

/** Files and dependency outputs of each task, with the hashes Nx uses for them now. */
export async function resolveInputs(workspaceRoot: string, graph: ProjectGraph, tasks: readonly Pick<Task, 'id' | 'target' | 'overrides'>[]): Promise<Map<string, ResolvedInputs>> {
  const inspector = new HashPlanInspector(graph, workspaceRoot);
  await inspector.init();
  const known = new Map((await getAllFileDataInContext(workspaceRoot)).map((f) => [f.file, f.hash]));
  const hashOf = (file: string) => known.get(file) ?? hashFile(join(workspaceRoot, file)) ?? 'missing';
  const resolved = new Map<string, ResolvedInputs>();
  for (const task of tasks) {
    const { project, target, configuration } = task.target;
    const inputs = inspector.inspectTaskInputs({ project, target, configuration }, parsedOverrides(task))[task.id];
    if (!inputs) continue;
    resolved.set(task.id, {
      files: Object.fromEntries(inputs.files.map((file) => [file, hashOf(file)])),
      // Outputs of other tasks are not in the workspace context (dist/ is ignored): hashed as Nx does, from disk.
      depOutputs: Object.fromEntries(inputs.depOutputs.map((file) => [file, hashFile(join(workspaceRoot, file)) ?? 'missing'])),
    });
  }
  return resolved;
}

/** A hashed task's manifest: Nx's hash details, the resolved inputs, the protected options. */
export function manifestOf(
  graph: ProjectGraph,
  task: Pick<Task, 'id' | 'target' | 'overrides' | 'outputs' | 'hash' | 'hashDetails'>,
  inputs: ResolvedInputs,
  origin: Origin,
  at: Date,
): InputManifest {
  const details = task.hashDetails;
  const runtime = Object.fromEntries(Object.entries(details?.runtime ?? {}).map(([command, hash]) => [command.startsWith('runtime:') ? command : `runtime:${command}`, hash]));
  return {
    task: task.id,
    hash: task.hash ?? '',
    origin,
    at: at.toISOString(),
    command: details?.command ?? '',
    nodes: { ...(details?.nodes ?? {}), ...runtime },
    files: inputs.files,
    depOutputs: inputs.depOutputs,
    options: protectOptions(resolvedOptions(graph, task)),
    target: targetDefinition(graph, task),
  };
}

