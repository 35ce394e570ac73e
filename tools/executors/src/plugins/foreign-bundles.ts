// Foreign worker bundles (tools/executors/README.md, "The pkg front door"): for every builder (any file
// name) and both platforms, a cached target `pkg--<builder>-<amd64|arm64>` on the
// worker-bundle project (the folder holding lava/VERSION.json, as the lava-python plugin
// infers it), depending on that builder only and reading its digest, so a new image
// rebuilds the bundles made in it and an identical one does not. A builder whose name
// is not its runtime also answers to `--configuration=<runtime>-<arch>` when no other
// builder claims that spelling.
import { posix } from 'node:path';
import type { CreateNodes, TargetConfiguration } from '@nx/devkit';
// nx's own function, without loading all of @nx/devkit at graph time.
import { createNodesFromFiles } from 'nx/src/project-graph/plugins/utils';
import { buildersOptionsOf, DEFAULT_BUILDERS_DIR, expectedRuntime, includedBuilders, REGISTRY_READY, variantBundle } from '../lib/docker/builders';
import { bundleInputs } from '../lib/python/bundle';
import { BUILD_CONSTRAINTS_FILE } from '../lib/python/pip';
import { PLATFORMS } from '../lib/core/platform';
import type { Runtime } from '../lib/python/runtime';
import { readVersion } from '../lib/workspace/version';
import { checkPluginOptions } from '../lib/core/user-files';

export interface ForeignBundlesPluginOptions {
  /** The folder of builder Dockerfiles; by default the builders plugin's own option in nx.json. */
  buildersDir?: string;
  /** Prefix of the per-variant targets: `<prefix>--<runtime>-<arch>`. */
  pkgTargetName?: string;
}

const VERSION_GLOB = '**/lava/VERSION.json';
const EXECUTORS = './tools/executors';

export const createNodes: CreateNodes<ForeignBundlesPluginOptions> = [
  VERSION_GLOB,
  (files, options, context) => {
    checkPluginOptions(context.workspaceRoot, './tools/executors/src/plugins/foreign-bundles.ts', options, { buildersDir: 'string', pkgTargetName: 'string' });
    const shared = buildersOptionsOf(context.nxJsonConfiguration as Parameters<typeof buildersOptionsOf>[0]);
    // Every builder in the graph (the builders plugin's `exclude` option leaves some out).
    const builders = includedBuilders(context.workspaceRoot, { ...shared, buildersDir: options?.buildersDir ?? shared.buildersDir ?? DEFAULT_BUILDERS_DIR });
    const version = readVersion(context.workspaceRoot).num;
    const runtimes = uniqueRuntimes(builders, shared.runtimes);
    return createNodesFromFiles(
      (file, opts) => {
        const root = posix.dirname(posix.dirname(file));
        const pkg = opts?.pkgTargetName ?? 'pkg';
        // `pkg` is the front door the lava-python plugin defines: only configurations are added to it
        // (no executor, so Nx merges them in), each naming the variant target it runs.
        const configurations: Record<string, Record<string, string>> = {};
        const targets: Record<string, TargetConfiguration> = { [pkg]: { configurations } };
        for (const builder of builders) {
          const runtime = runtimes.get(builder);
          const alias = runtime && runtime.name !== builder ? runtime.name : undefined;
          for (const platform of PLATFORMS) {
            const variant = `${pkg}--${builder}-${platform.short}`;
            targets[variant] = foreignTarget(root, builder, runtime, platform.short, version);
            configurations[`${builder}-${platform.short}`] = { target: variant };
            if (alias) configurations[`${alias}-${platform.short}`] = { target: variant };
          }
        }
        return { projects: { [root]: { root, targets } } };
      },
      files,
      options ?? {},
      context,
    );
  },
];

export const createNodesV2 = createNodes;

/**
 * Each builder's runtime where it is known before the build and no other builder reads
 * as the same one (two builders can never write the same bundle, and an alias must be
 * unambiguous); the others are named by what their container reports.
 */
export function uniqueRuntimes(builders: readonly string[], configured: Record<string, string> | undefined): Map<string, Runtime | undefined> {
  const read = new Map(builders.map((b) => [b, safeExpectedRuntime(b, configured)]));
  const count = new Map<string, number>();
  for (const runtime of read.values()) if (runtime) count.set(runtime.name, (count.get(runtime.name) ?? 0) + 1);
  // A builder named exactly as the runtime keeps it; the others reading as it are named by their container.
  const keeps = (b: string, runtime: Runtime) => b === runtime.name || (count.get(runtime.name) === 1 && !builders.includes(runtime.name));
  return new Map([...read].map(([b, runtime]) => [b, runtime && keeps(b, runtime) ? runtime : undefined]));
}

/** A misconfigured runtime must not fail the graph: the variant then waits for the container's word. */
function safeExpectedRuntime(builder: string, configured: Record<string, string> | undefined): Runtime | undefined {
  try {
    return expectedRuntime(builder, configured);
  } catch (error) {
    console.warn(`⚠ builder ${builder}: ${(error as Error).message}; its bundles are named after the runtime its container reports`);
    return undefined;
  }
}

/** The bundle a foreign build writes (a glob when only the container can name it). */
export function foreignBundlePath(builder: string, runtime: Runtime | undefined, short: 'amd64' | 'arm64', version: string): string {
  const platform = PLATFORMS.find((p) => p.short === short)!;
  return variantBundle(builder, runtime, platform.arch, version).declared;
}

function foreignTarget(root: string, builder: string, expected: Runtime | undefined, short: 'amd64' | 'arm64', version: string): TargetConfiguration {
  const output = foreignBundlePath(builder, expected, short, version);
  return {
    executor: `${EXECUTORS}:foreign-bundle`,
    cache: true,
    dependsOn: [{ projects: [`builder-${builder}`], target: 'build' }, REGISTRY_READY],
    inputs: [
      ...bundleInputs(`{workspaceRoot}/${root}`),
      `{workspaceRoot}/${BUILD_CONSTRAINTS_FILE}`,
      `!{workspaceRoot}/${root}/**/__pycache__/**`,
      `!{workspaceRoot}/${root}/**/*.pyc`,
      'version',
      'buildTooling',
      // The builder's pinned digest: a new image rebuilds this bundle, the same one does not.
      { dependentTasksOutputFiles: '**/image.digest', transitive: false },
      ...['PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL', 'PIP_TRUSTED_HOST', 'SOURCE_DATE_EPOCH'].map((env) => ({ env })),
    ],
    outputs: [`{workspaceRoot}/${output}`],
    options: { runtime: builder, ...(expected ? { expectedRuntime: expected.name } : {}), platform: `linux/${short}`, sourceDir: root },
    metadata: {
      technologies: ['python', 'docker'],
      description: `The worker bundle for ${expected?.name ?? `the runtime builder-${builder} reports`} on linux/${short}, built in builder-${builder}: ${output} (make pkg runtime=${builder} platform=linux/${short})`,
      help: { command: `npx nx run worker-bundle:pkg--${builder}-${short}`, example: {} },
    },
  };
}
