// Making the workspace Python environment (python-env:init): a venv at .venv with
// uv at the version the requirements pin, then the pinned tools installed by uv.
// A stamp of what it was made from, written last, makes a second run a no-op and
// marks a venv without it as half made.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BuildError, isBuildError } from '../core/errors';
import { withTempDir } from '../core/fs';
import { run } from '../core/process';
import { secretsOfUrl } from '../core/redact';
import { resolveInterpreter } from './interpreter';
import { pipIndexEnv, resolveIndexUrl } from './pip';
import { installRequirements } from './pip-install';
import { envStamp, pinnedVersion, pyenvSelector, PYTHON_ENV_STAMP, PYTHON_TOOLS_REQUIREMENTS, pythonEnvDir } from './venv';

export interface PythonEnvOptions {
  workspaceRoot: string;
  /** Workspace-relative; default tools/python/requirements.txt. */
  requirements?: string;
  /** The interpreter the venv is made with; default python3. */
  python?: string;
  /** Make it again even when the stamp says it is up to date. */
  force?: boolean;
}

export interface PythonEnvPlan {
  venv: string;
  /** Absolute. */
  requirements: string;
  /** Workspace-relative, as error lines name it. */
  requirementsName: string;
  python: string;
  /** The interpreter `python` resolves to. */
  interpreter: string;
  uvVersion: string;
  stamp: string;
  upToDate: boolean;
}

/** What the environment would be made from, checked, and whether the one there already is. Runs nothing. */
export function planPythonEnv(options: PythonEnvOptions): PythonEnvPlan {
  const requirementsName = options.requirements ?? PYTHON_TOOLS_REQUIREMENTS;
  const requirements = join(options.workspaceRoot, requirementsName);
  const python = options.python ?? 'python3';
  const venv = pythonEnvDir(options.workspaceRoot);
  const stampFile = join(venv, PYTHON_ENV_STAMP);
  if (!existsSync(requirements)) throw new BuildError(`requirements file ${requirements} is missing`);
  const text = readFileSync(requirements, 'utf8');
  const uvVersion = pinnedVersion(text, 'uv');
  if (!uvVersion) throw new BuildError(`${requirementsName} pins no uv (uv==X.Y.Z), which installs the tools`, { fix: `add uv==<version> to ${requirementsName}` });
  const interpreter = resolveInterpreter(python);
  if (!interpreter) throw new BuildError(`no ${python} on PATH`, { fix: 'apt-get install python3 python3-venv' });
  const stamp = envStamp(createHash('sha256').update(text).digest('hex'), interpreter, statSync(interpreter).mtimeMs, pyenvSelector(options.workspaceRoot));
  const upToDate = !options.force && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === stamp;
  return { venv, requirements, requirementsName, python, interpreter, uvVersion, stamp, upToDate };
}

/**
 * Makes the environment from scratch. The stamp is written last: when any step fails the
 * half-made venv is removed, so the next run starts clean rather than trusting it.
 *
 * uv installs everything, itself and pip included (both are pinned in the requirements): the venv
 * is made without ensurepip, whose pip (and, up to Python 3.11, setuptools) uv would only replace,
 * and uv comes from the interpreter's own pip into a scratch folder. That saves ensurepip's 3-9 s
 * and the files it writes and uv then deletes.
 */
export async function createPythonEnv(plan: PythonEnvPlan): Promise<void> {
  const { venv } = plan;
  await rm(venv, { recursive: true, force: true });
  try {
    await run(plan.python, ['-m', 'venv', '--without-pip', venv], { label: 'creating the Python environment', missingHint: 'apt-get install python3-venv' });
    const venvPython = join(venv, 'bin', 'python');
    // The interpreter itself, not a launcher such as a pyenv shim, which costs a shell and pyenv per start.
    const host = realpathSync(venvPython);
    // The index pip is configured with (PIP_INDEX_URL, then pip's config files), for both installers.
    const indexUrl = await resolveIndexUrl(host).catch((error: unknown) => {
      throw isBuildError(error) && /No module named pip/.test(error.detail ?? '')
        ? new BuildError(`${host} has no pip, which reads pip's configuration and fetches uv`, { fix: 'apt-get install python3-pip' })
        : error;
    });
    const secrets = secretsOfUrl(indexUrl);
    await withTempDir('lava-uv-bootstrap', async (scratch) => {
      const uv = await bootstrapUv(plan, host, indexUrl, scratch);
      // uv links the files from its cache (hard links on one file system: 4.5 s against 27.6 s for
      // copies of the 420 MB); nothing writes into the environment's installed files, so the cache
      // stays intact.
      await run(uv, ['pip', 'install', '--python', venvPython, '--no-progress', '--requirement', plan.requirements], {
        secrets,
        label: 'uv',
        // TMPDIR: uv leaves a lock file per source build (uv-setuptools-<hash>.lock) in the temp folder.
        env: { ...pipIndexEnv(indexUrl, 'uv'), VIRTUAL_ENV: venv, TMPDIR: scratch },
      });
    });
    await writeFile(join(venv, PYTHON_ENV_STAMP), `${plan.stamp}\n`);
  } catch (error) {
    await rm(venv, { recursive: true, force: true });
    throw error;
  }
}

/**
 * uv at the pinned version, by the interpreter's pip, in `scratch` (the install then puts uv into
 * the venv itself): its path. pip honours everything of its configuration (index, proxies, CA,
 * find-links) and checks the wheel's hash from the index; its failure is explained in one line.
 */
async function bootstrapUv(plan: PythonEnvPlan, host: string, indexUrl: string, scratch: string): Promise<string> {
  const pin = join(scratch, 'uv-requirement.txt');
  await writeFile(pin, `uv==${plan.uvVersion}\n`);
  const target = join(scratch, 'uv');
  await installRequirements({
    python: host,
    requirements: pin,
    requirementsShownAs: plan.requirementsName,
    requirementsOnHost: [plan.requirements],
    target,
    installer: 'pip',
    indexUrl,
    passIndex: true,
  });
  return join(target, 'bin', 'uv');
}

/** python-env:init: the environment made unless the one there is up to date. */
export async function ensurePythonEnv(options: PythonEnvOptions): Promise<PythonEnvPlan> {
  const plan = planPythonEnv(options);
  if (!plan.upToDate) await createPythonEnv(plan);
  return plan;
}
