// The host interpreter's X.Y, asked once per interpreter: the answer is kept in the workspace's
// data folder keyed by the interpreter's resolved path and modification time, so making the
// project graph starts no process when nothing changed. A reinstalled or upgraded interpreter
// (a new binary, or the link now leading elsewhere) has another key and is asked again.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export const PROBE_CACHE_FILE = join('.nx', 'workspace-data', 'lava-python-probe.json');

/** The file `python` names: a path as is, a bare name looked up on PATH (as execFile would). */
export function resolveInterpreter(python: string, path = process.env.PATH ?? ''): string | undefined {
  const candidates = python.includes('/') ? [python] : path.split(delimiter).filter(Boolean).map((dir) => join(dir, python));
  for (const candidate of candidates) {
    try {
      const real = realpathSync(candidate);
      if (statSync(real).isFile()) return real;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * The cache key: the interpreter's real path and mtime; undefined when it cannot be found. A
 * script (a pyenv shim) picks its interpreter at each start: its key adds what pyenv picks by
 * (PYENV_VERSION, the workspace's .python-version, pyenv's global version file).
 */
export function interpreterKey(python: string, path?: string, workspaceRoot = process.cwd()): string | undefined {
  const real = resolveInterpreter(python, path);
  if (!real || !isAbsolute(real)) return undefined;
  const key = `${real}@${statSync(real).mtimeMs}`;
  let head = '';
  try {
    head = readFileSync(real).subarray(0, 2).toString('latin1');
  } catch {
    return key;
  }
  if (head !== '#!') return key;
  const pyenvRoot = process.env.PYENV_ROOT ?? join(process.env.HOME ?? '/root', '.pyenv');
  const read = (file: string) => {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch {
      return '';
    }
  };
  return `${key}|${process.env.PYENV_VERSION ?? ''}|${read(join(workspaceRoot, '.python-version'))}|${read(join(pyenvRoot, 'version'))}`;
}

function readCache(file: string): Record<string, string> {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/**
 * `python`'s X.Y (e.g. `3.11`), from the cache under `workspaceRoot` or asked and cached.
 * Throws when the interpreter is missing or fails (the caller decides what that means).
 */
export function cachedPythonVersion(python: string, workspaceRoot: string, ask: (python: string) => string = askVersion): string {
  const key = interpreterKey(python, undefined, workspaceRoot);
  const file = join(workspaceRoot, PROBE_CACHE_FILE);
  const cache = key ? readCache(file) : {};
  if (key && cache[key]) return cache[key];
  const version = ask(python);
  if (key) {
    try {
      mkdirSync(join(workspaceRoot, '.nx', 'workspace-data'), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, `${JSON.stringify({ ...readCache(file), [key]: version }, null, 2)}\n`);
      renameSync(temp, file);
    } catch {
      // an unwritable workspace only asks again next time
    }
  }
  return version;
}

function askVersion(python: string): string {
  return execFileSync(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { stdio: ['ignore', 'pipe', 'ignore'] })
    .toString()
    .trim();
}
