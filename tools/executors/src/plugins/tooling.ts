// The tooling inputs of the targets written in project.json files (docs, python-env, oracle,
// registry): a project.json cannot compute which of our files an executor runs, so this plugin adds
// to each such project one named input per executor it uses, `tooling-<executor>`
// (lib/workspace/tooling-inputs.ts), and its targets list that name among their inputs.
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { ProjectConfiguration } from '@nx/devkit';
import { executor, inferProjects, toolingInputs } from './shared';

const OUR_EXECUTOR = executor('');

/** `tooling-<name>` for each of our executors the project's targets use. */
export function toolingNamedInputs(project: Pick<ProjectConfiguration, 'targets'>): Record<string, ReturnType<typeof toolingInputs>> {
  const executors = new Set<string>();
  for (const target of Object.values(project.targets ?? {})) {
    if (target.executor?.startsWith(OUR_EXECUTOR)) executors.add(target.executor.slice(OUR_EXECUTOR.length));
  }
  return Object.fromEntries([...executors].sort().map((name) => [`tooling-${name}`, toolingInputs(name)]));
}

export const createNodesV2 = inferProjects<Record<string, never>>({
  name: 'tooling',
  glob: '**/project.json',
  options: {},
  infer: (_files, _options, context) => ({
    nodes: (file) => {
      const namedInputs = toolingNamedInputs(JSON.parse(readFileSync(join(context.workspaceRoot, file), 'utf8')));
      return Object.keys(namedInputs).length === 0 ? {} : { projects: { [posix.dirname(file)]: { namedInputs } } };
    },
  }),
});

export const createNodes = createNodesV2;
