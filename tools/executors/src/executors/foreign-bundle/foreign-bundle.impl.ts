import { join } from 'node:path';
import { checkBuilderProject, pinnedBuilder, variantBundle } from '../../lib/docker/builders';
import { checkBuildConstraints, checkRequirementFiles, PYLIB, stageBundle, writeBundle } from '../../lib/python/bundle';
import { checkEngine } from '../../lib/docker/cli';
import { BuildError } from '../../lib/core/errors';
import { lavaExecutor } from '../../lib/core/executor';
import { containerRuntime, installInContainer } from '../../lib/docker/builder-run';
import { withTempDir } from '../../lib/core/fs';
import { BUILD_CONSTRAINTS_FILE, cleanPylib, resolveIndexUrl } from '../../lib/python/pip';
import { platformOf, runtimeOfName } from '../../lib/core/platform';
import { redactUrl } from '../../lib/core/redact';
import { checkRegistry } from '../../lib/docker/registry';
import { readVersion } from '../../lib/workspace/version';
import type { ForeignBundleExecutorSchema } from './schema';
import { builderProject, nxRun } from '../../lib/workspace/project-names';

export default lavaExecutor<ForeignBundleExecutorSchema>(async (options, context) => {
  const platform = platformOf(options.platform);
  checkBuilderProject(context, options.runtime);
  const sourceDir = options.sourceDir ?? 'packages/lava';
  const requirements = options.requirements ?? ['requirements.txt', 'requirements-extra.txt'];
  const source = join(context.root, sourceDir);
  checkRequirementFiles(source, requirements, sourceDir);
  checkBuildConstraints(context.root, BUILD_CONSTRAINTS_FILE);

  await checkEngine();
  await checkRegistry();
  const image = await pinnedBuilder(context.root, options.runtime);
  const container = { workspace: context.root, image, platform };
  const inside = await containerRuntime(container);
  const expected = options.expectedRuntime !== undefined ? runtimeOfName(options.expectedRuntime) : undefined;
  if (expected && inside.runtime !== expected.name) {
    throw new BuildError(`builder ${options.runtime} runs ${inside.runtime}, not ${expected.name}, so its bundle would be misnamed`, {
      fix: `fix its Dockerfile, then ${nxRun(builderProject(options.runtime), 'build')} (or, if it is right, name its runtime in nx.json's builders plugin options: "runtimes": {"${options.runtime}": "${inside.runtime}"})`,
    });
  }
  const version = readVersion(context.root);
  const target = variantBundle(options.runtime, expected, platform.arch, version.num, options.outputPath).file({ name: inside.runtime, os: inside.os, python: inside.python });
  const indexUrl = await resolveIndexUrl('python3');
  console.log(`Worker bundle ${version.full} for ${inside.runtime} ${platform.arch} in ${image}, packages from ${redactUrl(indexUrl)}`);

  await withTempDir('lava-foreign-bundle', async (scratch) => {
    const staging = join(scratch, 'bundle');
    await stageBundle(source, staging, requirements, sourceDir);
    // Every requirement file in one resolution: a pin in one holds against the others.
    await installInContainer({
      ...container,
      requirements: requirements.map((file) => `${sourceDir}/${file}`),
      buildConstraints: BUILD_CONSTRAINTS_FILE,
      output: join(staging, PYLIB),
      indexUrl,
    });
    await cleanPylib(join(staging, PYLIB));
    const entries = await writeBundle(staging, join(context.root, target));
    console.log(`${target} (${entries.length} entries)`);
  });
});
