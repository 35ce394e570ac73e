// One project per builder Dockerfile: `<buildersDir>/<name>.Dockerfile` becomes
// `builder-<name>`, whatever the name (the real tree has `rocky9-p3.9`). All the
// Dockerfiles share one folder, and Nx merges projects that share a root, so each gets
// a virtual root `<buildersDir>/<name>` (owning no files) and spells its inputs from
// {workspaceRoot}. A project-graph edge to them is safe only between targets without `^` inputs
// (tools/executors/README.md): dependants use dependsOn + the digest file. Deprecation and retirement are this
// plugin's options in nx.json, so the Dockerfiles stay as their owners wrote them.
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { CreateNodes, TargetConfiguration } from '@nx/devkit';
// nx's own function, without loading all of @nx/devkit at graph time.
import { createNodesFromFiles } from 'nx/src/project-graph/plugins/utils';
import { builderDigestFile, builderFacts, builderRuntimeFile, DEFAULT_BUILDERS_DIR, REGISTRY_READY, type BuilderFacts, type BuildersOptions } from '../lib/docker/builders';
import { builderImage } from '../lib/docker/cli';
import { checkPluginOptions } from '../lib/core/user-files';

export interface BuildersPluginOptions extends BuildersOptions {
  buildTargetName?: string;
}

const DOCKERFILE_GLOB = '**/*.Dockerfile';
const EXECUTORS = './tools/executors';

export const createNodes: CreateNodes<BuildersPluginOptions> = [
  DOCKERFILE_GLOB,
  (files, options, context) => {
    checkPluginOptions(context.workspaceRoot, './tools/executors/src/plugins/builders.ts', options, { buildersDir: 'string', buildTargetName: 'string', runtimes: 'record', deprecated: 'record', exclude: 'record', repository: 'string' });
    const dir = posix.normalize(options?.buildersDir ?? DEFAULT_BUILDERS_DIR);
    return createNodesFromFiles(
      (file, opts) => {
        const name = posix.basename(file, '.Dockerfile');
        let text: string;
        try {
          text = readFileSync(join(context.workspaceRoot, file), 'utf8');
        } catch (error) {
          // A file the build cannot read never fails the graph: it is skipped, said in one line.
          console.warn(`⚠ builders: skipped ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
          return {};
        }
        const facts = builderFacts(name, text, opts ?? {});
        // Left out by the plugin's `exclude` option: no project, so no variant and nothing to build.
        if (facts.excluded !== undefined) return {};
        const root = `${dir}/${name}`;
        return {
          projects: {
            [root]: {
              name: `builder-${name}`,
              root,
              projectType: 'application',
              tags: ['type:builder', ...(facts.deprecated !== undefined ? ['deprecated'] : [])],
              implicitDependencies: ['registry'],
              targets: builderTargets(facts, file, dir, opts ?? {}),
            },
          },
        };
      },
      files.filter((f) => posix.dirname(f) === dir),
      options ?? {},
      context,
    );
  },
];

export const createNodesV2 = createNodes;

function builderTargets(facts: BuilderFacts, dockerfile: string, dir: string, options: BuildersPluginOptions): Record<string, TargetConfiguration> {
  const build = options.buildTargetName ?? 'build';
  const { name, runtime, deprecated } = facts;
  const runs = runtime ? (runtime.name === name ? '' : ` (runtime ${runtime.name})`) : ' (runtime: what its container reports)';
  return {
    [build]: {
      executor: `${EXECUTORS}:builder-image`,
      cache: true,
      dependsOn: [REGISTRY_READY],
      inputs: [
        `{workspaceRoot}/${dockerfile}`,
        // The context is the builders folder; files a Dockerfile COPYs live in <name>/ or common/.
        // (A negated `!*.Dockerfile` would also drop the builder's own Dockerfile: Nx applies it to all inputs.)
        `{workspaceRoot}/${dir}/${name}/**/*`,
        `{workspaceRoot}/${dir}/common/**/*`,
        { env: 'PIP_INDEX_URL' },
        'buildTooling',
      ],
      outputs: [`{workspaceRoot}/${posix.dirname(builderDigestFile(name))}`],
      options: {
        runtime: name,
        dockerfile,
        context: dir,
        ...(runtime ? { expectedRuntime: runtime.name } : {}),
        ...(options.repository ? { repository: options.repository } : {}),
        ...(deprecated !== undefined ? { deprecated: deprecated || 'no reason given' } : {}),
      },
      metadata: {
        technologies: ['docker'],
        description: `${deprecated !== undefined ? `DEPRECATED (${deprecated || 'no reason given'}). ` : ''}Builder image ${builderImage(name, undefined, options.repository)}:latest${runs} for linux/amd64 and linux/arm64, pushed; its digest in ${builderDigestFile(name)}, the runtime it reports in ${builderRuntimeFile(name)} (make builder runtime=${name})`,
        help: { command: `npx nx run builder-${name}:${build}`, example: {} },
      },
    },
  };
}
