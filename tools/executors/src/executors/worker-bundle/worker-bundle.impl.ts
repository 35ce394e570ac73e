import { join, relative } from 'node:path';
import { BUNDLE_SOURCES, bundlePath, checkRequirementFiles, PYLIB, stageBundle, writeBundle } from '../../lib/bundle';
import { BuildError } from '../../lib/errors';
import { lavaExecutor, projectRoot } from '../../lib/executor';
import { withTempDir } from '../../lib/fs';
import { checkHostRuntime, hostRuntime } from '../../lib/host-runtime';
import { cleanPylib, installRequirements, resolveIndexUrl, type Installer } from '../../lib/pip';
import { pythonEnvDir } from '../../lib/python';
import { redactUrl } from '../../lib/redact';
import { readVersion } from '../../lib/version';
import type { WorkerBundleExecutorSchema } from './schema';

export interface NormalizedOptions {
  sourceDir: string;
  outputPath: string;
  requirements: string[];
  python: string;
  runtime?: string;
  installer: Installer;
}

export function normalizeOptions(options: WorkerBundleExecutorSchema, defaultSourceDir: string): NormalizedOptions {
  const installer = options.installer ?? 'pip';
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
  // uv comes from the workspace Python environment, not from PATH.
  const uvEnv = o.installer === 'uv' ? { PATH: `${join(pythonEnvDir(context.root), 'bin')}:${process.env.PATH ?? ''}` } : {};

  console.log(`Worker bundle ${version.full} for ${host.runtime} ${host.platform.arch}, packages from ${redactUrl(indexUrl)} (${o.installer})`);
  await withTempDir('lava-bundle', async (scratch) => {
    const staging = join(scratch, 'bundle');
    await stageBundle(source, staging, [...new Set([...BUNDLE_SOURCES, ...o.requirements])], o.sourceDir);
    for (const requirements of o.requirements) {
      await installRequirements({
        python: o.python,
        requirements,
        requirementsShownAs: `${o.sourceDir}/${requirements}`,
        target: PYLIB,
        installer: o.installer,
        indexUrl,
        passIndex: o.installer === 'uv',
        run: { cwd: staging, env: uvEnv },
      });
    }
    await cleanPylib(join(staging, PYLIB));
    const entries = await writeBundle(staging, join(context.root, relativeTarget));
    console.log(`${relativeTarget} (${entries.length} entries)`);
  });
});
