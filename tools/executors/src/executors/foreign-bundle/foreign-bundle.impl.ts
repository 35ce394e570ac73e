import { join, posix } from 'node:path';
import { checkProjectRuntime, pinnedBuilder } from '../../lib/builders';
import { BUNDLE_SOURCES, bundlePath, checkRequirementFiles, PYLIB, stageBundle, writeBundle } from '../../lib/bundle';
import { checkEngine } from '../../lib/docker';
import { BuildError } from '../../lib/errors';
import { lavaExecutor } from '../../lib/executor';
import { containerRuntime, installInContainer } from '../../lib/foreign';
import { withTempDir } from '../../lib/fs';
import { cleanPylib, resolveIndexUrl } from '../../lib/pip';
import { platformOf } from '../../lib/platform';
import { redactUrl } from '../../lib/redact';
import { checkRegistry } from '../../lib/registry';
import { readVersion } from '../../lib/version';
import type { ForeignBundleExecutorSchema } from './schema';

export default lavaExecutor<ForeignBundleExecutorSchema>(async (options, context) => {
  const platform = platformOf(options.platform);
  checkProjectRuntime(context, options.runtime);
  const sourceDir = options.sourceDir ?? 'packages/lava';
  const requirements = options.requirements ?? ['requirements.txt', 'requirements-extra.txt'];
  const source = join(context.root, sourceDir);
  checkRequirementFiles(source, requirements, sourceDir);

  await checkEngine();
  await checkRegistry();
  const image = await pinnedBuilder(context.root, options.runtime);
  const container = { workspace: context.root, image, platform };
  const inside = await containerRuntime(container);
  if (inside.runtime !== options.runtime) {
    // The builders folder in use is wherever the builder project lives (its virtual root is <folder>/<name>).
    const builderRoot = context.projectsConfigurations?.projects[`builder-${options.runtime}`]?.root;
    const dockerfile = builderRoot ? `${posix.dirname(builderRoot)}/${options.runtime}.Dockerfile` : `the ${options.runtime} builder's Dockerfile`;
    throw new BuildError(`builder image for ${options.runtime} runs ${inside.runtime}, so its bundle would be misnamed`, {
      fix: `fix ${dockerfile}, then npx nx run builder-${options.runtime}:build`,
    });
  }
  const version = readVersion(context.root);
  const target = bundlePath({ version: version.num, runtime: inside.runtime, os: inside.os, arch: platform.arch }, options.outputPath);
  const indexUrl = await resolveIndexUrl('python3');
  console.log(`Worker bundle ${version.full} for ${inside.runtime} ${platform.arch} in ${image}, packages from ${redactUrl(indexUrl)}`);

  await withTempDir('lava-foreign-bundle', async (scratch) => {
    const staging = join(scratch, 'bundle');
    await stageBundle(source, staging, [...new Set([...BUNDLE_SOURCES, ...requirements])], sourceDir);
    for (const file of requirements) {
      await installInContainer({ ...container, requirements: `${sourceDir}/${file}`, output: join(staging, PYLIB), indexUrl });
    }
    await cleanPylib(join(staging, PYLIB));
    const entries = await writeBundle(staging, join(context.root, target));
    console.log(`${target} (${entries.length} entries)`);
  });
});
