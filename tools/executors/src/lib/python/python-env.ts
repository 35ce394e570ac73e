// Making the workspace Python environment (python-env:init): a venv at .venv with
// uv at the version the requirements pin, then the pinned tools installed by uv.
// A stamp of what it was made from, written last, makes a second run a no-op and
// marks a venv without it as half made.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BuildError } from '../core/errors';
import { run } from '../core/process';
import { secretsOfUrl } from '../core/redact';
import { resolveInterpreter } from './interpreter';
import { pipIndexEnv, resolveIndexUrl } from './pip';
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
  return { venv, requirements, python, interpreter, uvVersion, stamp, upToDate };
}

/**
 * Makes the environment from scratch. The stamp is written last: when any step fails the
 * half-made venv is removed, so the next run starts clean rather than trusting it.
 */
export async function createPythonEnv(plan: PythonEnvPlan): Promise<void> {
  const { venv } = plan;
  await rm(venv, { recursive: true, force: true });
  try {
    await run(plan.python, ['-m', 'venv', venv], { label: 'creating the Python environment', missingHint: 'apt-get install python3-venv' });
    const venvPython = join(venv, 'bin', 'python');
    // The index pip is configured with (PIP_INDEX_URL, then pip's config files), for both installers.
    const indexUrl = await resolveIndexUrl(venvPython);
    const secrets = secretsOfUrl(indexUrl);
    // No progress bars: nx forces colour on in tasks, and a log file would get their ANSI frames.
    const quiet = ['--disable-pip-version-check', '--no-input', '--progress-bar', 'off'];
    // uv itself, at the pinned version, by the venv's own pip (one wheel); then uv installs the
    // pinned tools, many times faster than pip, with the same pins. uv links the files from its
    // cache (hard links on one file system: 4.5 s against 27.6 s for copies of the 420 MB);
    // nothing writes into the environment's installed files, so the cache stays intact.
    await run(venvPython, ['-m', 'pip', 'install', ...quiet, `uv==${plan.uvVersion}`], { secrets, label: 'pip', env: { PIP_INDEX_URL: indexUrl } });
    await run(
      join(venv, 'bin', 'uv'),
      ['pip', 'install', '--python', venvPython, '--no-progress', '--requirement', plan.requirements],
      { secrets, label: 'uv', env: { ...pipIndexEnv(indexUrl, 'uv'), VIRTUAL_ENV: venv } },
    );
    await writeFile(join(venv, PYTHON_ENV_STAMP), `${plan.stamp}\n`);
  } catch (error) {
    await rm(venv, { recursive: true, force: true });
    throw error;
  }
}

/** python-env:init: the environment made unless the one there is up to date. */
export async function ensurePythonEnv(options: PythonEnvOptions): Promise<PythonEnvPlan> {
  const plan = planPythonEnv(options);
  if (!plan.upToDate) await createPythonEnv(plan);
  return plan;
}
