// One project per builder Dockerfile: `<buildersDir>/<runtime>.Dockerfile` becomes
// `builder-<runtime>`. All the Dockerfiles share one folder, and Nx merges projects
// that share a root, so each gets a virtual root `<buildersDir>/<runtime>` (owning no
// files) and spells its inputs from {workspaceRoot}. Nothing may make a project-graph
// edge to these projects (notes/nx-probe.md Q2): dependants use dependsOn + the digest file.
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { createNodesFromFiles, type CreateNodes, type TargetConfiguration } from '@nx/devkit';
import { builderDigestFile, DEFAULT_BUILDERS_DIR, deprecationOf, REGISTRY_READY } from '../lib/builders';
import { builderImage } from '../lib/docker';
import { checkPluginOptions } from '../lib/user-files';

export interface BuildersPluginOptions {
  /** The folder of builder Dockerfiles (tests point it at a fixture folder). */
  buildersDir?: string;
  buildTargetName?: string;
}

const DOCKERFILE_GLOB = '**/*.Dockerfile';
const EXECUTORS = './tools/executors';

export const createNodes: CreateNodes<BuildersPluginOptions> = [
  DOCKERFILE_GLOB,
  (files, options, context) => {
    checkPluginOptions(context.workspaceRoot, './tools/executors/src/plugins/builders.ts', options, { buildersDir: 'string', buildTargetName: 'string' });
    const dir = posix.normalize(options?.buildersDir ?? DEFAULT_BUILDERS_DIR);
    return createNodesFromFiles(
      (file, opts) => {
        const runtime = posix.basename(file, '.Dockerfile');
        const root = `${dir}/${runtime}`;
        const deprecated = deprecationOf(readFileSync(join(context.workspaceRoot, file), 'utf8'));
        return {
          projects: {
            [root]: {
              name: `builder-${runtime}`,
              root,
              projectType: 'application',
              tags: ['type:builder', ...(deprecated !== undefined ? ['deprecated'] : [])],
              implicitDependencies: ['registry'],
              targets: builderTargets(runtime, file, dir, opts ?? {}, deprecated),
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

function builderTargets(
  runtime: string,
  dockerfile: string,
  dir: string,
  options: BuildersPluginOptions,
  deprecated: string | undefined,
): Record<string, TargetConfiguration> {
  const build = options.buildTargetName ?? 'build';
  return {
    [build]: {
      executor: `${EXECUTORS}:builder-image`,
      cache: true,
      dependsOn: [REGISTRY_READY],
      inputs: [
        `{workspaceRoot}/${dockerfile}`,
        // The context is the builders folder; files a Dockerfile COPYs live in <runtime>/ or common/.
        // (A negated `!*.Dockerfile` would also drop the builder's own Dockerfile: Nx applies it to all inputs.)
        `{workspaceRoot}/${dir}/${runtime}/**/*`,
        `{workspaceRoot}/${dir}/common/**/*`,
        { env: 'PIP_INDEX_URL' },
        'buildTooling',
      ],
      outputs: [`{workspaceRoot}/${posix.dirname(builderDigestFile(runtime))}`],
      options: { runtime, dockerfile, context: dir },
      metadata: {
        technologies: ['docker'],
        description: `${deprecated !== undefined ? `DEPRECATED (${deprecated || 'no reason given'}). ` : ''}Builder image ${builderImage(runtime)}:latest for linux/amd64 and linux/arm64, pushed; its digest in ${builderDigestFile(runtime)} (make builder runtime=${runtime})`,
        help: { command: `npx nx run builder-${runtime}:${build}`, example: {} },
      },
    },
  };
}
