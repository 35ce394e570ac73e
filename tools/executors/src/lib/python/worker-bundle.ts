// The worker bundle for the host's own runtime (make's `pkg`): pip or uv on the
// host installs for the interpreter that names the runtime.
import { join } from 'node:path';
import { BuildError } from '../core/errors';
import { redactUrl } from '../core/redact';
import { readVersion } from '../workspace/version';
import { BUNDLE_REQUIREMENTS, PYLIB, checkBuildConstraints, checkRequirementFiles } from './bundle';
import { bundlePath } from './bundle-name';
import { checkHostRuntime, hostRuntime, interpreterPath } from './host-runtime';
import { packBundle } from './pack-bundle';
import { BUILD_CONSTRAINTS_FILE, configSecrets, indexUrlOf, installerOption, pipConfigList, resolveIndexUrl, uvEnvFromPipConfig, type Installer } from './pip';
import { installRequirements } from './pip-install';
import { pythonEnvDir, pythonTool } from './venv';

export interface WorkerBundleOptions {
  sourceDir?: string;
  outputPath?: string;
  requirements?: string[];
  python?: string;
  runtime?: string;
  installer?: Installer;
  buildConstraints?: string;
}

export interface NormalizedOptions {
  sourceDir: string;
  outputPath: string;
  requirements: string[];
  python: string;
  runtime?: string;
  installer: Installer;
  buildConstraints: string;
}

export function normalizeOptions(options: WorkerBundleOptions, defaultSourceDir: string): NormalizedOptions {
  const installer = installerOption(options.installer);
  const requirements = options.requirements ?? [...BUNDLE_REQUIREMENTS];
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

export interface BuiltBundle {
  /** Workspace-relative. */
  file: string;
  entries: number;
}

/** `projectDir`: the project's folder, workspace-relative (the default sources). */
export async function buildWorkerBundle(options: WorkerBundleOptions, workspaceRoot: string, projectDir: string): Promise<BuiltBundle> {
  const o = normalizeOptions(options, projectDir);
  const source = join(workspaceRoot, o.sourceDir);
  const version = readVersion(workspaceRoot);
  // uv reads none of pip's settings: it gets pip's effective ones (PIP_* and pip's config files,
  // as `pip config list` reports them), so both installers fetch from the same places. The one
  // `pip config list` gives the index too. Asked while the interpreter's own path is: every later
  // step runs that, as a pyenv shim on PATH costs a shell and pyenv at each start.
  const asking = o.installer === 'uv' ? pipConfigList(o.python) : Promise.resolve('');
  asking.catch(() => undefined); // taken below, after interpreterPath's own account of a missing interpreter
  const python = await interpreterPath(o.python);
  const pipConfig = await asking;
  const host = await hostRuntime(python);
  checkHostRuntime(o.runtime, host, o.python);
  checkRequirementFiles(source, o.requirements, o.sourceDir);
  const target = bundlePath({ version: version.num, runtime: host.runtime, os: host.os, arch: host.platform.arch }, o.outputPath);
  const buildConstraints = checkBuildConstraints(workspaceRoot, o.buildConstraints);
  // pip comes from the workspace Python environment (pinned, with --build-constraint) and installs
  // for o.python (pip --python); uv comes from there too, not from PATH.
  const runner = o.installer === 'pip' ? pythonTool(workspaceRoot, 'python') : undefined;
  const indexUrl = o.installer === 'uv' ? indexUrlOf(pipConfig) : await resolveIndexUrl(python);
  const uvEnv =
    o.installer === 'uv'
      ? { PATH: `${join(pythonEnvDir(workspaceRoot), 'bin')}:${process.env.PATH ?? ''}`, ...uvEnvFromPipConfig(pipConfig, indexUrl) }
      : {};
  if (o.installer === 'uv') pythonTool(workspaceRoot, 'uv');

  console.log(`Worker bundle ${version.full} for ${host.runtime} ${host.platform.arch}, packages from ${redactUrl(indexUrl)} (${o.installer})`);
  const entries = await packBundle({
    workspaceRoot,
    sourceDir: o.sourceDir,
    requirements: o.requirements,
    target,
    scratchName: 'lava-bundle',
    install: async (_pylib, staging) =>
      installRequirements({
        python,
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
      }),
  });
  return { file: target, entries: entries.length };
}
