import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { checkBuilderProject, pinnedBuilder } from '../../lib/docker/builders';
import { checkEngine } from '../../lib/docker/cli';
import { BuildError } from '../../lib/core/errors';
import { lavaExecutor, projectRoot } from '../../lib/core/executor';
import { describeRunner, installRunner } from '../../lib/docker/builder-buildkit';
import { installInContainer } from '../../lib/docker/builder-run';
import { hostPlatform } from '../../lib/python/host-runtime';
import { withTempDir } from '../../lib/core/fs';
import { LAMBDA_DEFAULTS, lambdaZipPath, writeLambdaZip } from '../../lib/python/lambda';
import { installerOption, resolveIndexUrl } from '../../lib/python/pip';
import { cleanPylib } from '../../lib/python/clean-pylib';
import { platformOf } from '../../lib/core/platform';
import { redactUrl } from '../../lib/core/redact';
import { checkRegistry } from '../../lib/docker/registry';
import { readVersion } from '../../lib/workspace/version';
import type { LambdaBundleExecutorSchema } from './schema';

export default lavaExecutor<LambdaBundleExecutorSchema>(async (options, context) => {
  const runtime = options.runtime ?? LAMBDA_DEFAULTS.runtime;
  const platform = platformOf(options.platform ?? LAMBDA_DEFAULTS.platform);
  const installer = installerOption(options.installer);
  const lavaPackage = join(context.root, options.lavaPackage ?? LAMBDA_DEFAULTS.lavaPackage);
  const handlerDir = projectRoot(context);
  const requirements = join(handlerDir, 'requirements.txt');
  checkBuilderProject(context, runtime);
  if (!existsSync(requirements)) throw new BuildError(`${relative(context.root, requirements)} is missing`);
  if (!existsSync(lavaPackage)) throw new BuildError(`the lava package ${relative(context.root, lavaPackage)} is missing`);

  await checkEngine();
  await checkRegistry();
  const image = await pinnedBuilder(context.root, runtime);
  const indexUrl = await resolveIndexUrl('python3');
  const target = lambdaZipPath(options.name, readVersion(context.root).num, options.outputPath);
  const runner = await installRunner(platform, hostPlatform());
  console.log(`Lambda ${options.name}: requirements for ${platform.docker} in ${image}, packages from ${redactUrl(indexUrl)} (${installer}), installed ${describeRunner(runner)}`);

  await withTempDir('lava-lambda', async (scratch) => {
    const packages = join(scratch, 'packages');
    await mkdir(packages);
    await installInContainer({ workspace: context.root, image, platform, builder: runtime, installer, requirements: relative(context.root, requirements), output: packages, indexUrl }, runner);
    // What the installer wrote about the install (records, uv's lock), not the packages: the zip is then the same whichever installer, cache cold or warm.
    await cleanPylib(packages);
    const entries = await writeLambdaZip({ handlerDir, lavaPackage, packages }, join(context.root, target));
    console.log(`${target} (${entries.length} entries)`);
  });
});
