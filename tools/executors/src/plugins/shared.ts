// What every plugin of this folder writes the same way: how a plugin is declared (its glob, its
// checked nx.json options, one result per matched file), our executors' names, target metadata,
// the input fragments and the edges that several targets share.
import { join, posix, resolve } from 'node:path';
import type { CreateNodesContextV2, CreateNodesResult, CreateNodesV2, ProjectConfiguration, TargetConfiguration } from '@nx/devkit';
// nx's own functions, without loading all of @nx/devkit at graph time.
import { createNodesFromFiles } from 'nx/src/project-graph/plugins/utils';
import { workspaceDataDirectory } from 'nx/src/utils/cache-directory';
import { hashWithWorkspaceContext } from 'nx/src/utils/workspace-context';
import { workspaceRoot as nxWorkspaceRoot } from 'nx/src/utils/workspace-root';
import { checkPluginOptions, type OptionType } from '../lib/core/user-files';
import { buildersOptionsOf, includedBuilders, type BuildersOptions } from '../lib/docker/builders';
import { PIP_ENV } from '../lib/docker/cli';
import { builderProject } from '../lib/workspace/project-names';
import { CLOSURE_SOURCES, saveStoredClosures, toolingInputs as toolingInputsOf, useStoredClosures } from '../lib/workspace/tooling-inputs';

type Input = NonNullable<TargetConfiguration['inputs']>[number];
type Edge = NonNullable<TargetConfiguration['dependsOn']>[number];

export interface PluginDefinition<O> {
  /** The plugin's file name in src/plugins, without `.ts`: nx.json option errors name it. */
  name: string;
  glob: string;
  /** Every option nx.json may give the plugin; any other is refused in one line. */
  options: Readonly<Record<keyof O & string, OptionType>>;
  /**
   * Called once per graph with all matched files: reads what they share, and returns what one
   * file makes (`select` leaves out the files that make nothing).
   */
  infer: (
    files: readonly string[],
    options: O,
    context: CreateNodesContextV2,
  ) => { select?: (file: string) => boolean; nodes: (file: string) => CreateNodesResult };
}

/** A createNodes plugin: its options checked, then one result per matched file (nx names a failing file). */
export function inferProjects<O extends object>(plugin: PluginDefinition<O>): CreateNodesV2<O> {
  return [
    plugin.glob,
    (files, options, context) => {
      // Thrown here, not in a rejected promise: a bad nx.json entry fails as it is read.
      checkPluginOptions(context.workspaceRoot, `./tools/executors/src/plugins/${plugin.name}.ts`, options, plugin.options);
      return useStoredToolingClosures().then(async () => {
        const { select, nodes } = plugin.infer(files, (options ?? {}) as O, context);
        const results = await createNodesFromFiles((file) => nodes(file), select ? files.filter(select) : files, options ?? {}, context);
        saveStoredClosures();
        return results;
      });
    },
  ];
}

/** A file's result: its projects, each under its root. */
export function inferred(...projects: ProjectConfiguration[]): CreateNodesResult {
  return { projects: Object.fromEntries(projects.map((project) => [project.root, project])) };
}

/** A folder option as the graph compares it with a file's folder: normalised, no trailing slash (`etc/builders/` → `etc/builders`). */
export function folderOption(folder: string): string {
  return posix.normalize(folder).replace(/(.)\/+$/, '$1');
}

/** `<executor>` of this folder's package, as a target names it. */
export function executor(name: string): string {
  return `./tools/executors:${name}`;
}

/** The workspace this plugin's code lives in: the executors its targets run are the ones beside it. */
const WORKSPACE_ROOT = resolve(__dirname, '../../../..');

/**
 * The inputs that stand for the code of an executor, for every cached target that runs one of
 * ours: the files it really runs and the npm packages they import (lib/workspace/tooling-inputs.ts),
 * so an edit to the docs code reruns the docs and no Lambda.
 */
export function toolingInputs(executorName: string): Input[] {
  return toolingInputsOf(WORKSPACE_ROOT, executorName);
}

/**
 * When Nx runs this workspace's own plugins: the executors' closures stored by the last graph
 * computation, under the hash Nx's workspace context gives their sources (already hashed by Nx,
 * so this costs no file read), instead of walking every import again.
 */
async function useStoredToolingClosures(): Promise<void> {
  if (WORKSPACE_ROOT !== nxWorkspaceRoot) return;
  try {
    const key = await hashWithWorkspaceContext(WORKSPACE_ROOT, CLOSURE_SOURCES.include, CLOSURE_SOURCES.exclude);
    useStoredClosures(WORKSPACE_ROOT, join(workspaceDataDirectory, 'lava-tooling-closures.json'), key);
  } catch {
    // no workspace context: the closures are walked (and kept in memory)
  }
}

/** Target metadata: what `nx show project` says of a target, and the command its help shows. */
export function targetMetadata(technologies: string[], description: string, command?: string): TargetConfiguration['metadata'] {
  return { technologies, description, ...(command !== undefined ? { help: { command, example: {} } } : {}) };
}

export function envInputs(...names: string[]): Input[] {
  return names.map((env) => ({ env }));
}

/** Python's byte code under a folder: never a source, never an input. */
export function bytecodeExcludes(dir: string): string[] {
  return [`!${dir}/**/__pycache__/**`, `!${dir}/**/*.pyc`];
}

/**
 * pip's config files, hashed (they may hold credentials): what uv in a builder container is
 * given of pip's settings comes from them, as on the host.
 */
const PIP_CONFIG_FILES: Input = {
  runtime: 'cat /etc/pip.conf /etc/xdg/pip/pip.conf "$HOME/.config/pip/pip.conf" "$HOME/.pip/pip.conf" "${PIP_CONFIG_FILE:-/dev/null}" 2>/dev/null | sha256sum',
};

/** What pip reads from the environment, by where it runs. */
export const PIP_INPUTS = {
  /**
   * In a builder container: pip's settings (passed to pip by name, or read by `pip config list`
   * for uv), the uv pin (tools/python/requirements.txt) and the archive times.
   */
  container: [
    ...envInputs(...PIP_ENV, 'PIP_FIND_LINKS', 'PIP_NO_INDEX', 'PIP_CERT', 'PIP_CONFIG_FILE', 'SOURCE_DATE_EPOCH'),
    PIP_CONFIG_FILES,
    'pythonTools',
  ],
  /** On the host: pip's own lookup (its config files are hashed by the host bundle's runtime input). */
  host: envInputs('PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL', 'PIP_FIND_LINKS', 'PIP_NO_INDEX', 'PIP_CONFIG_FILE'),
  /** In an image build: the index, the one setting a Dockerfile receives. */
  imageBuild: envInputs('PIP_INDEX_URL'),
};

/** A builder's pinned digest: a new image rebuilds what was made in it, the same one does not. */
export const BUILDER_DIGEST_INPUT: Input = { dependentTasksOutputFiles: '**/image.digest', transitive: false };

/** The workspace's Python tools (pip, uv, the checkers), installed by python-env. */
export const PYTHON_ENV_INIT: Edge = { projects: ['python-env'], target: 'init' };

/** A builder's image build, for the targets that run in that builder (tools/executors/README.md: no `^` inputs on either end). */
export function builderBuild(builder: string): Edge {
  return { projects: [builderProject(builder)], target: 'build' };
}

/** The builders plugin's options (nx.json writes them once, in its entry) and the builders in the graph. */
export function graphBuilders(context: CreateNodesContextV2): { options: BuildersOptions; builders: string[] } {
  const options = buildersOptionsOf(context.nxJsonConfiguration as Parameters<typeof buildersOptionsOf>[0]);
  return { options, builders: includedBuilders(context.workspaceRoot, options) };
}
