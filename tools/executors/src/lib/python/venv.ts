// The workspace Python environment (the `make init` analogue): one venv at
// .venv holding the pinned tools of tools/python/requirements.txt.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuildError } from '../core/errors';

export const PYTHON_ENV_DIR = '.venv';
export const PYTHON_TOOLS_REQUIREMENTS = 'tools/python/requirements.txt';
export const PYTHON_ENV_TARGET = 'python-env:init';
/**
 * Written last by python-env:init: what the venv was made from, as `envStamp` spells it. The
 * target's cache key reads it back with the shell (tools/python/env-stamp.sh), so the two agree.
 */
export const PYTHON_ENV_STAMP = '.lava-python-env';

export function pythonEnvDir(workspaceRoot: string): string {
  return join(workspaceRoot, PYTHON_ENV_DIR);
}

/** Absolute path of a program in the workspace venv; fails with the target to run if absent. */
export function pythonTool(workspaceRoot: string, program: string): string {
  const path = join(pythonEnvDir(workspaceRoot), 'bin', program);
  if (!existsSync(join(pythonEnvDir(workspaceRoot), PYTHON_ENV_STAMP)) || !existsSync(path)) {
    throw new BuildError(`no Python environment with ${program} at ${PYTHON_ENV_DIR}`, {
      fix: `npx nx run ${PYTHON_ENV_TARGET}`,
    });
  }
  return path;
}

/** The version a requirements text pins `project` to with `==` (names compared as PEP 503 does). */
export function pinnedVersion(requirements: string, project: string): string | undefined {
  const wanted = project.toLowerCase().replace(/[-_.]+/g, '-');
  for (const raw of requirements.split('\n')) {
    const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==\s*([^\s;#]+)/.exec(raw.trim());
    if (match && match[1].toLowerCase().replace(/[-_.]+/g, '-') === wanted) return match[2];
  }
  return undefined;
}

/**
 * `<sha256 of the requirements file> <interpreter's resolved path> <its mtime, whole seconds>
 * <pyenvSelector>`: what `sha256sum`, `readlink -f`, `stat -c %Y` and `cat` print for the same files.
 */
export function envStamp(requirementsSha256: string, interpreter: string, mtimeMs: number, selector = pyenvSelector()): string {
  return `${requirementsSha256} ${interpreter} ${Math.floor(mtimeMs / 1000)} ${selector}`;
}

/**
 * What a pyenv shim picks its interpreter by, as the shell spells it:
 * `${PYENV_VERSION}|$(cat .python-version)|$(cat $PYENV_ROOT/version)` (empty parts when unset).
 */
export function pyenvSelector(workspaceRoot = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  const read = (file: string) => {
    try {
      return readFileSync(file, 'utf8').replace(/\n+$/, '');
    } catch {
      return '';
    }
  };
  const root = env.PYENV_ROOT || join(env.HOME ?? '', '.pyenv');
  return `${env.PYENV_VERSION ?? ''}|${read(join(workspaceRoot, '.python-version'))}|${read(join(root, 'version'))}`;
}
