// The workspace Python environment (the `make init` analogue): one venv at
// .venv holding the pinned tools of tools/python/requirements.txt.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BuildError } from './errors';

export const PYTHON_ENV_DIR = '.venv';
export const PYTHON_TOOLS_REQUIREMENTS = 'tools/python/requirements.txt';
export const PYTHON_ENV_TARGET = 'python-env:init';
/** Written last by python-env:init: the hash of what the venv was made from. */
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
