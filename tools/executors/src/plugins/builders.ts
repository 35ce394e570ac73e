// One project per builder Dockerfile: `<buildersDir>/<name>.Dockerfile` becomes
// `builder-<name>`, whatever the name (the real tree has `rocky9-p3.9`), on a virtual root
// `<buildersDir>/<name>` owning no files, its inputs spelt from {workspaceRoot}. A graph edge to
// one is safe only when no target on either end has `^` inputs (tools/executors/README.md,
// "Builders have virtual roots"). Deprecation and retirement are this plugin's options in
// nx.json, so the Dockerfiles stay as their owners wrote them.
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { TargetConfiguration } from '@nx/devkit';
import { builderDigestFile, builderFacts, builderRuntimeFile, DEFAULT_BUILDERS_DIR, REGISTRY_READY, type BuilderFacts, type BuildersOptions } from '../lib/docker/builders';
import { builderImage } from '../lib/docker/cli';
import { builderProject, nxRun } from '../lib/workspace/project-names';
import { executor, inferProjects, inferred, PIP_INPUTS, targetMetadata, toolingInputs, folderOption } from './shared';

export const createNodesV2 = inferProjects<BuildersOptions>({
  name: 'builders',
  glob: '**/*.Dockerfile',
  options: { buildersDir: 'string', runtimes: 'record', deprecated: 'record', exclude: 'record', repository: 'string' },
  infer: (_files, options, context) => {
    const dir = folderOption(options.buildersDir ?? DEFAULT_BUILDERS_DIR);
    return {
      select: (file) => posix.dirname(file) === dir,
      nodes: (file) => {
        const name = posix.basename(file, '.Dockerfile');
        let text: string;
        try {
          text = readFileSync(join(context.workspaceRoot, file), 'utf8');
        } catch (error) {
          // A file the build cannot read never fails the graph: it is skipped, said in one line.
          console.warn(`⚠ builders: skipped ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
          return {};
        }
        const facts = builderFacts(name, text, options);
        // Left out by the plugin's `exclude` option: no project, so no variant and nothing to build.
        if (facts.excluded !== undefined) return {};
        const tags = ['type:builder', ...(facts.deprecated !== undefined ? ['deprecated'] : [])];
        const targets = { build: buildTarget(facts, file, dir, options) };
        return inferred({ name: builderProject(name), root: `${dir}/${name}`, projectType: 'application', tags, implicitDependencies: ['registry'], targets });
      },
    };
  },
});

export const createNodes = createNodesV2;

function buildTarget(facts: BuilderFacts, dockerfile: string, dir: string, options: BuildersOptions): TargetConfiguration {
  const { name, runtime, deprecated } = facts;
  const runs = runtime ? (runtime.name === name ? '' : ` (runtime ${runtime.name})`) : ' (runtime: what its container reports)';
  return {
    executor: executor('builder-image'),
    cache: true,
    dependsOn: [REGISTRY_READY],
    inputs: [
      `{workspaceRoot}/${dockerfile}`,
      // The context is the builders folder; files a Dockerfile COPYs live in <name>/ or common/.
      // (A negated `!*.Dockerfile` would also drop the builder's own Dockerfile: Nx applies it to all inputs.)
      `{workspaceRoot}/${dir}/${name}/**/*`,
      `{workspaceRoot}/${dir}/common/**/*`,
      ...PIP_INPUTS.imageBuild,
      ...toolingInputs('builder-image'),
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
    metadata: targetMetadata(
      ['docker'],
      `${deprecated !== undefined ? `DEPRECATED (${deprecated || 'no reason given'}). ` : ''}Builder image ${builderImage(name, undefined, options.repository)}:latest${runs} for linux/amd64 and linux/arm64, pushed; its digest in ${builderDigestFile(name)}, the runtime it reports in ${builderRuntimeFile(name)} (make builder runtime=${name})`,
      nxRun(builderProject(name), 'build'),
    ),
  };
}
