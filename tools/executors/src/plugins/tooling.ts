// The tooling inputs of the targets written in project.json files (docs, python-env, oracle,
// registry): a project.json cannot compute which of our files an executor runs, so this plugin adds
// to each such project one named input per executor it uses, `tooling-<executor>`
// (lib/workspace/tooling-inputs.ts), and its targets list that name among their inputs.
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { CreateNodesV2, ProjectConfiguration } from '@nx/devkit';
// nx's own function, without loading all of @nx/devkit at graph time.
import { createNodesFromFiles } from 'nx/src/project-graph/plugins/utils';
import { toolingInputs } from '../lib/workspace/tooling-inputs';

const OUR_EXECUTOR = /^\.\/tools\/executors:([a-z][a-z0-9-]*)$/;

/** `tooling-<name>` for each of our executors the project's targets use. */
export function toolingNamedInputs(workspaceRoot: string, project: Pick<ProjectConfiguration, 'targets'>): Record<string, ReturnType<typeof toolingInputs>> {
  const executors = new Set<string>();
  for (const target of Object.values(project.targets ?? {})) {
    const name = OUR_EXECUTOR.exec(target.executor ?? '')?.[1];
    if (name) executors.add(name);
  }
  return Object.fromEntries([...executors].sort().map((name) => [`tooling-${name}`, toolingInputs(workspaceRoot, name)]));
}

export const createNodesV2: CreateNodesV2 = [
  '**/project.json',
  (files, options, context) =>
    createNodesFromFiles(
      (file) => {
        const namedInputs = toolingNamedInputs(context.workspaceRoot, JSON.parse(readFileSync(join(context.workspaceRoot, file), 'utf8')));
        if (Object.keys(namedInputs).length === 0) return {};
        return { projects: { [posix.dirname(file)]: { namedInputs } } };
      },
      files,
      options,
      context,
    ),
];

export const createNodes = createNodesV2;
