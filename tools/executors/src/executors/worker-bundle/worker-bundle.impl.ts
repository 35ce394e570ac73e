import { join, relative } from 'node:path';
import { bundlePath, checkBuildConstraints, checkRequirementFiles, PYLIB, stageBundle, writeBundle } from '../../lib/python/bundle';
import { BuildError } from '../../lib/core/errors';
import { lavaExecutor, projectRoot } from '../../lib/core/executor';
import { withTempDir } from '../../lib/core/fs';
import { checkHostRuntime, hostRuntime, interpreterPath } from '../../lib/python/host-runtime';
import { cleanPylib } from '../../lib/python/clean-pylib';
import { BUILD_CONSTRAINTS_FILE, configSecrets, pipConfigList, resolveIndexUrl, uvEnvFromPipConfig, type Installer } from '../../lib/python/pip';
import { installRequirements } from '../../lib/python/pip-install';
import { pythonEnvDir, pythonTool } from '../../lib/python/venv';
import { redactUrl } from '../../lib/core/redact';
import { readVersion } from '../../lib/workspace/version';
import type { WorkerBundleExecutorSchema } from './schema';

export interface NormalizedOptions {
  sourceDir: string;
  outputPath: string;
  requirements: string[];
  python: string;
  runtime?: string;
  installer: Installer;
  buildConstraints: string;
}

export function normalizeOptions(options: WorkerBundleExecutorSchema, defaultSourceDir: string): NormalizedOptions {
  const installer = options.installer ?? 'uv';
  if (installer !== 'pip' && installer !== 'uv') {
    throw new BuildError(`installer must be "pip" or "uv", got "${installer as string}"`);
  }
  const requirements = options.requirements ?? ['requirements.txt', 'requirements-extra.txt'];
  if (requirements.length === 0) throw new BuildError('requirements must name at least one requirement file (make installed two)');
  return {
    sourceDir: options.sourceDir ?? defaultSourceDir,
    outputPath: options.outputPath ?? 'dist/pkg',
    requirements,
    python: options.python ?? 'python3',
    runtime: options.runtime || undefined,
    installer,
    buildConstraints: options.buildConstraints ?? BUILD_CONSTRAINTS_FILE,
  };
}

export default lavaExecutor<WorkerBundleExecutorSchema>(async (options, context) => {
  const o = normalizeOptions(options, relative(context.root, projectRoot(context)));
  const source = join(context.root, o.sourceDir);
  const version = readVersion(context.root);
  const host = await hostRuntime(o.python);
  checkHostRuntime(o.runtime, host, o.python);
  checkRequirementFiles(source, o.requirements, o.sourceDir);
  const indexUrl = await resolveIndexUrl(o.python);
  const relativeTarget = bundlePath({ version: version.num, runtime: host.runtime, os: host.os, arch: host.platform.arch }, o.outputPath);
  const buildConstraints = checkBuildConstraints(context.root, o.buildConstraints);
  // pip comes from the workspace Python environment (pinned, with --build-constraint) and installs
  // for o.python (pip --python); uv comes from there too, not from PATH.
  const runner = o.installer === 'pip' ? pythonTool(context.root, 'python') : undefined;
  // uv reads none of pip's settings: it gets pip's effective ones (PIP_* and pip's config files,
  // as `pip config list` reports them), so both installers fetch from the same places.
  const pipConfig = o.installer === 'uv' ? await pipConfigList(o.python) : '';
  const uvEnv =
    o.installer === 'uv'
      ? { PATH: `${join(pythonEnvDir(context.root), 'bin')}:${process.env.PATH ?? ''}`, ...uvEnvFromPipConfig(pipConfig, indexUrl) }
      : {};
  if (o.installer === 'uv') pythonTool(context.root, 'uv');

  console.log(`Worker bundle ${version.full} for ${host.runtime} ${host.platform.arch}, packages from ${redactUrl(indexUrl)} (${o.installer})`);
  await withTempDir('lava-bundle', async (scratch) => {
    const staging = join(scratch, 'bundle');
    await stageBundle(source, staging, o.requirements, o.sourceDir);
    // Every requirement file in one resolution: a pin in one holds against the others.
    await installRequirements({
      python: await interpreterPath(o.python),
      runner,
      requirements: o.requirements,
      requirementsShownAs: o.requirements.map((r) => `${o.sourceDir}/${r}`),
      requirementsOnHost: o.requirements.map((r) => join(source, r)),
      buildConstraints,
      target: PYLIB,
      installer: o.installer,
      indexUrl,
      passIndex: o.installer === 'uv',
      run: { cwd: staging, env: uvEnv, secrets: configSecrets(pipConfig) },
    });
    await cleanPylib(join(staging, PYLIB));
    const entries = await writeBundle(staging, join(context.root, relativeTarget));
    console.log(`${relativeTarget} (${entries.length} entries)`);
  });
});
