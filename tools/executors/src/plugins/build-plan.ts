// The plan of `./build.sh`'s run, for its closing summary (tools/setup/build.ts): after the run,
// when build.ts asked for it (lib/workspace/build-summary.ts requestBuildPlan), the task graph of
// the build's targets over every project, written by the run's own nx process from the project
// graph it made. Asking a second nx command for it (`run-many --graph=<file>`) cost a whole graph
// computation, the largest part of a no-op ./build.sh after the run itself.
import type { PostTasksExecution } from '@nx/devkit';
import type * as NxProjectGraph from 'nx/src/project-graph/project-graph';
import type * as NxCreateTaskGraph from 'nx/src/tasks-runner/create-task-graph';
import { readBuildPlanRequest, writeBuildPlan } from '../lib/workspace/build-summary';

export const name = 'lava-build-plan';

export const postTasksExecution: PostTasksExecution = async (_options, context) => {
  try {
    const request = readBuildPlanRequest(context.workspaceRoot);
    if (!request) return;
    // Loaded by the run already: nothing more to load.
    const { readCachedProjectGraph } = require('nx/src/project-graph/project-graph') as typeof NxProjectGraph;
    const { createTaskGraph } = require('nx/src/tasks-runner/create-task-graph') as typeof NxCreateTaskGraph;
    const graph = readCachedProjectGraph();
    // As run-many selects them: the projects that have one of the targets.
    const projects = Object.keys(graph.nodes).filter((p) => request.targets.some((t) => graph.nodes[p].data.targets?.[t]));
    writeBuildPlan(request.output, graph.nodes, createTaskGraph(graph, {}, projects, request.targets, undefined, {}));
  } catch (error) {
    // build.ts then says it has no plan; the run itself is not failed by this.
    console.warn(`⚠ lava-build-plan: the build plan was not written: ${error instanceof Error ? error.message : String(error)}`);
  }
};
