// The worker bundle for another runtime or platform (make's `pkg runtime=… platform=…`):
// uv (or pip) runs in the runtime's builder image, pinned by digest, on that platform; the
// bundle is named for what the container says it is.
import type { ExecutorContext } from '@nx/devkit';
import { join } from 'node:path';
import { BuildError } from '../core/errors';
import { platformOf } from '../core/platform';
import { hostPlatform } from './host-runtime';
import { runtimeOfName } from './runtime';
import { redactUrl } from '../core/redact';
import { containerRuntime } from '../docker/builder-container';
import { describeRunner, installRunner } from '../docker/builder-buildkit';
import { installInContainer } from '../docker/builder-run';
import { checkBuilderProject, pinnedBuilder, variantBundle } from '../docker/builders';
import { checkEngine } from '../docker/cli';
import { checkRegistry } from '../docker/registry';
import { readVersion } from '../workspace/version';
import { BUNDLE_REQUIREMENTS, checkBuildConstraints, checkRequirementFiles } from './bundle';
import { packBundle } from './pack-bundle';
import { BUILD_CONSTRAINTS_FILE, installerOption, resolveIndexUrl, type Installer } from './pip';
import type { BuiltBundle } from './worker-bundle';
import { builderProject, nxRun } from '../workspace/project-names';

export interface ForeignBundleOptions {
  /** The builder: the name of one of the builder Dockerfiles. */
  runtime: string;
  /** The runtime the builder's container must report, when it is known before the build. */
  expectedRuntime?: string;
  platform: string;
  sourceDir?: string;
  requirements?: string[];
  outputPath?: string;
  /** uv (default; its binary mounted into the builder) or the builder's own pip. */
  installer?: Installer;
}

/** `context` says which builders the graph has. */
export async function buildForeignBundle(options: ForeignBundleOptions, context: ExecutorContext): Promise<BuiltBundle> {
  const root = context.root;
  const platform = platformOf(options.platform);
  const installer = installerOption(options.installer);
  checkBuilderProject(context, options.runtime);
  const sourceDir = options.sourceDir ?? 'packages/lava';
  const requirements = options.requirements ?? [...BUNDLE_REQUIREMENTS];
  checkRequirementFiles(join(root, sourceDir), requirements, sourceDir);
  checkBuildConstraints(root, BUILD_CONSTRAINTS_FILE);

  await checkEngine();
  await checkRegistry();
  const image = await pinnedBuilder(root, options.runtime);
  const container = { workspace: root, image, platform };
  const runner = await installRunner(platform, hostPlatform());
  // On a BuildKit node the image is asked what it is here, natively: no qemu needed on this machine.
  const inside = await containerRuntime(container, runner.kind === 'buildkit' ? hostPlatform() : undefined);
  const expected = options.expectedRuntime !== undefined ? runtimeOfName(options.expectedRuntime) : undefined;
  if (expected && inside.runtime !== expected.name) {
    throw new BuildError(`builder ${options.runtime} runs ${inside.runtime}, not ${expected.name}, so its bundle would be misnamed`, {
      fix: `fix its Dockerfile, then ${nxRun(builderProject(options.runtime), 'build')} (or, if it is right, name its runtime in nx.json's builders plugin options: "runtimes": {"${options.runtime}": "${inside.runtime}"})`,
    });
  }
  const version = readVersion(root);
  const target = variantBundle(options.runtime, expected, platform.arch, version.num, options.outputPath).file({ name: inside.runtime, os: inside.os, python: inside.python });
  const indexUrl = await resolveIndexUrl('python3');
  console.log(`Worker bundle ${version.full} for ${inside.runtime} ${platform.arch} in ${image}, packages from ${redactUrl(indexUrl)} (${installer}), installed ${describeRunner(runner)}`);

  const entries = await packBundle({
    workspaceRoot: root,
    sourceDir,
    requirements,
    target,
    scratchName: 'lava-foreign-bundle',
    install: (pylib) =>
      installInContainer({
        ...container,
        builder: options.runtime,
        installer,
        requirements: requirements.map((file) => `${sourceDir}/${file}`),
        buildConstraints: BUILD_CONSTRAINTS_FILE,
        output: pylib,
        indexUrl,
      }, runner),
  });
  return { file: target, entries: entries.length };
}
