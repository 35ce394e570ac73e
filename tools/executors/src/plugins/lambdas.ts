// One project per Lambda folder (`<dir>/<name>/requirements.txt`): `lambda-<name>`,
// whose build installs the requirements in the amzn2023-py3.13 builder on linux/arm64
// (the Lambda's platform) and zips them with the handlers and the lava package.
import { posix } from 'node:path';
import type { CreateNodes, TargetConfiguration } from '@nx/devkit';
// nx's own function, without loading all of @nx/devkit at graph time.
import { createNodesFromFiles } from 'nx/src/project-graph/plugins/utils';
import { buildersOptionsOf, DEFAULT_BUILDERS_DIR, includedBuilders, REGISTRY_READY } from '../lib/docker/builders';
import { lambdaZipPath, LAMBDA_DEFAULTS } from '../lib/python/lambda';
import { readVersion } from '../lib/workspace/version';

export interface LambdasPluginOptions {
  buildTargetName?: string;
  /** The runtime whose builder image installs the requirements. */
  runtime?: string;
  /** The Lambda's platform, any spelling. */
  platform?: string;
  /** The lava package zipped beside the handlers, relative to the workspace root. */
  lavaPackage?: string;
}

const REQUIREMENTS_GLOB = '**/lambda/*/requirements.txt';
const EXECUTORS = './tools/executors';

export const createNodes: CreateNodes<LambdasPluginOptions> = [
  REQUIREMENTS_GLOB,
  (files, options, context) => {
    const version = readVersion(context.workspaceRoot).num;
    const shared = buildersOptionsOf(context.nxJsonConfiguration as Parameters<typeof buildersOptionsOf>[0]);
    const builders = includedBuilders(context.workspaceRoot, { ...shared, buildersDir: shared.buildersDir ?? DEFAULT_BUILDERS_DIR });
    return createNodesFromFiles(
      (file, opts) => {
        const root = posix.dirname(file);
        const name = posix.basename(root);
        return {
          projects: {
            [root]: {
              name: `lambda-${name}`,
              root,
              projectType: 'application',
              tags: ['type:lambda'],
              // Shows lambda → builder → registry in `nx graph`. Safe only because every target on both
              // ends declares its inputs without `^` (a virtual-root builder owns no files: tools/executors/README.md).
              // Only to a builder that exists: a missing one must not fail every command's graph (the build says it in one line).
              implicitDependencies: builders.includes(opts?.runtime ?? LAMBDA_DEFAULTS.runtime) ? [`builder-${opts?.runtime ?? LAMBDA_DEFAULTS.runtime}`] : [],
              targets: lambdaTargets(name, version, opts ?? {}, builders),
            },
          },
        };
      },
      files,
      options ?? {},
      context,
    );
  },
];

export const createNodesV2 = createNodes;

function lambdaTargets(name: string, version: string, options: LambdasPluginOptions, builders: readonly string[]): Record<string, TargetConfiguration> {
  const runtime = options.runtime ?? LAMBDA_DEFAULTS.runtime;
  const lavaPackage = options.lavaPackage ?? LAMBDA_DEFAULTS.lavaPackage;
  const output = lambdaZipPath(name, version);
  return {
    [options.buildTargetName ?? 'build']: {
      executor: `${EXECUTORS}:lambda-bundle`,
      cache: true,
      dependsOn: [...(builders.includes(runtime) ? [{ projects: [`builder-${runtime}`], target: 'build' }] : []), REGISTRY_READY],
      inputs: [
        '{projectRoot}/**/*',
        `{workspaceRoot}/${lavaPackage}/**/*`,
        '!{workspaceRoot}/**/__pycache__/**',
        '!{workspaceRoot}/**/*.pyc',
        'version',
        'buildTooling',
        // The builder's pinned digest: a new image rebuilds the zip, the same one does not.
        { dependentTasksOutputFiles: '**/image.digest', transitive: false },
        ...['PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL', 'PIP_TRUSTED_HOST', 'SOURCE_DATE_EPOCH'].map((env) => ({ env })),
      ],
      outputs: [`{workspaceRoot}/${output}`],
      options: { name, runtime, platform: options.platform ?? LAMBDA_DEFAULTS.platform, lavaPackage },
      metadata: {
        technologies: ['python', 'docker', 'aws-lambda'],
        description: `${output}: the ${name} handlers, the lava package and their requirements built in builder-${runtime} for the Lambda's platform (make lambda)`,
        help: { command: `npx nx run lambda-${name}:build`, example: {} },
      },
    },
  };
}
