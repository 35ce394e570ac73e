// Foreign worker bundles (notes/nx-probe.md Q3, approach A): for every builder runtime
// and both platforms, a cached target `pkg--<runtime>-<amd64|arm64>` on the worker-bundle
// project (the folder holding lava/VERSION.json, as issue 4's lava-python plugin infers
// it), depending on that builder only and reading its digest, so a new image rebuilds
// the bundles made in it and an identical one does not.
import { posix } from 'node:path';
import { createNodesFromFiles, type CreateNodes, type TargetConfiguration } from '@nx/devkit';
import { DEFAULT_BUILDERS_DIR, knownRuntimes, REGISTRY_READY } from '../lib/builders';
import { bundlePath } from '../lib/bundle';
import { PLATFORMS, parseRuntime } from '../lib/platform';
import { readVersion } from '../lib/version';
import { checkPluginOptions } from '../lib/user-files';

export interface ForeignBundlesPluginOptions {
  /** The folder of builder Dockerfiles: one runtime per file (as the builders plugin's option). */
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
    const runtimes = knownRuntimes(context.workspaceRoot, options?.buildersDir ?? DEFAULT_BUILDERS_DIR);
    const version = readVersion(context.workspaceRoot).num;
    return createNodesFromFiles(
      (file, opts) => {
        const root = posix.dirname(posix.dirname(file));
        const pkg = opts?.pkgTargetName ?? 'pkg';
        // `pkg` is the front door the lava-python plugin defines: only configurations are added to it
        // (no executor, so Nx merges them in), each naming the variant target it runs.
        const configurations: Record<string, Record<string, string>> = {};
        const targets: Record<string, TargetConfiguration> = { [pkg]: { configurations } };
        for (const runtime of runtimes) {
          for (const platform of PLATFORMS) {
            targets[`${pkg}--${runtime}-${platform.short}`] = foreignTarget(root, runtime, platform.short, version);
            configurations[`${runtime}-${platform.short}`] = { target: `${pkg}--${runtime}-${platform.short}` };
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

/** The bundle a foreign build writes: named for the runtime, which the container must turn out to be. */
export function foreignBundlePath(runtime: string, short: 'amd64' | 'arm64', version: string): string {
  const platform = PLATFORMS.find((p) => p.short === short)!;
  return bundlePath({ version, runtime, os: parseRuntime(runtime).os, arch: platform.arch });
}

function foreignTarget(root: string, runtime: string, short: 'amd64' | 'arm64', version: string): TargetConfiguration {
  const output = foreignBundlePath(runtime, short, version);
  return {
    executor: `${EXECUTORS}:foreign-bundle`,
    cache: true,
    dependsOn: [{ projects: [`builder-${runtime}`], target: 'build' }, REGISTRY_READY],
    inputs: [
      ...['lava/**/*', 'bin/**/*', 'etc/**/*', 'install.sh', 'lava-run', 'requirements*.txt'].map((p) => `{workspaceRoot}/${root}/${p}`),
      `!{workspaceRoot}/${root}/**/__pycache__/**`,
      `!{workspaceRoot}/${root}/**/*.pyc`,
      'version',
      'buildTooling',
      // The builder's pinned digest: a new image rebuilds this bundle, the same one does not.
      { dependentTasksOutputFiles: '**/image.digest', transitive: false },
      ...['PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL', 'PIP_TRUSTED_HOST', 'SOURCE_DATE_EPOCH'].map((env) => ({ env })),
    ],
    outputs: [`{workspaceRoot}/${output}`],
    options: { runtime, platform: `linux/${short}`, sourceDir: root },
    metadata: {
      technologies: ['python', 'docker'],
      description: `The worker bundle for ${runtime} on linux/${short}, built in builder-${runtime}: ${output} (make pkg runtime=${runtime} platform=linux/${short})`,
      help: { command: `npx nx run worker-bundle:pkg--${runtime}-${short}`, example: {} },
    },
  };
}
