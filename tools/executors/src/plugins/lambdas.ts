// One project per Lambda folder (`<dir>/<name>/requirements.txt`): `lambda-<name>`,
// whose build installs the requirements in the amzn2023-py3.13 builder on linux/arm64
// (the Lambda's platform) and zips them with the handlers and the lava package.
import { posix } from 'node:path';
import type { TargetConfiguration } from '@nx/devkit';
import { REGISTRY_READY } from '../lib/docker/builders';
import { lambdaZipPath, LAMBDA_DEFAULTS } from '../lib/python/lambda';
import { readVersion } from '../lib/workspace/version';
import { builderProject, nxRun } from '../lib/workspace/project-names';
import { BUILDER_DIGEST_INPUT, builderBuild, bytecodeExcludes, executor, graphBuilders, inferProjects, inferred, PIP_INPUTS, targetMetadata, toolingInputs } from './shared';

export interface LambdasPluginOptions {
  /** The runtime whose builder image installs the requirements. */
  runtime?: string;
  /** The Lambda's platform, any spelling. */
  platform?: string;
  /** The lava package zipped beside the handlers, relative to the workspace root. */
  lavaPackage?: string;
}

export const createNodesV2 = inferProjects<LambdasPluginOptions>({
  name: 'lambdas',
  glob: '**/lambda/*/requirements.txt',
  options: { runtime: 'string', platform: 'string', lavaPackage: 'string' },
  infer: (_files, options, context) => {
    const version = readVersion(context.workspaceRoot).num;
    const { builders } = graphBuilders(context);
    const runtime = options.runtime ?? LAMBDA_DEFAULTS.runtime;
    // Only to a builder that exists: a missing one must not fail every command's graph (the build says it in one line).
    const builder = builders.includes(runtime) ? [runtime] : [];
    return {
      nodes: (file) => {
        const root = posix.dirname(file);
        const name = posix.basename(root);
        // Shows lambda → builder → registry in `nx graph`: every target of both projects has
        // explicit inputs without `^` (tools/executors/README.md, "Builders have virtual roots").
        const edges = { implicitDependencies: builder.map(builderProject) };
        const targets = { build: buildTarget(name, version, runtime, builder, options) };
        return inferred({ name: `lambda-${name}`, root, projectType: 'application', tags: ['type:lambda'], ...edges, targets });
      },
    };
  },
});

export const createNodes = createNodesV2;

function buildTarget(name: string, version: string, runtime: string, builder: string[], options: LambdasPluginOptions): TargetConfiguration {
  const lavaPackage = options.lavaPackage ?? LAMBDA_DEFAULTS.lavaPackage;
  const output = lambdaZipPath(name, version);
  return {
    executor: executor('lambda-bundle'),
    cache: true,
    dependsOn: [...builder.map(builderBuild), REGISTRY_READY],
    inputs: [
      '{projectRoot}/**/*',
      `{workspaceRoot}/${lavaPackage}/**/*`,
      ...bytecodeExcludes('{workspaceRoot}'),
      'version',
      ...toolingInputs('lambda-bundle'),
      BUILDER_DIGEST_INPUT,
      ...PIP_INPUTS.container,
    ],
    outputs: [`{workspaceRoot}/${output}`],
    options: { name, runtime, platform: options.platform ?? LAMBDA_DEFAULTS.platform, lavaPackage },
    metadata: targetMetadata(
      ['python', 'docker', 'aws-lambda'],
      `${output}: the ${name} handlers, the lava package and their requirements built in ${builderProject(runtime)} for the Lambda's platform (make lambda)`,
      nxRun(`lambda-${name}`, 'build'),
    ),
  };
}
