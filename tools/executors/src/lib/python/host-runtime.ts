// The host's runtime (`<os>-py<X.Y>`) and arch: what a host build produces.
// The OS is /etc/os-release's, the arch `uname -m`; the Python part is the
// interpreter the bundle is built with, asked directly.
import { readFileSync } from 'node:fs';
import { machine } from 'node:os';
import { BuildError } from '../core/errors';
import { platformOf, type Platform } from '../core/platform';
import { run } from '../core/process';
import { osFromOsRelease, parseRuntime, runtimeName, type MachineRuntime } from './runtime';

export function hostOs(osReleasePath = '/etc/os-release'): string {
  let text: string;
  try {
    text = readFileSync(osReleasePath, 'utf8');
  } catch {
    throw new BuildError(`cannot tell the host OS: ${osReleasePath} is missing (Linux hosts only)`);
  }
  return osFromOsRelease(text);
}

/** The host's platform, from `uname -m` (Node's os.machine() is that field). */
export function hostPlatform(unameMachine: string = machine()): Platform {
  return platformOf(unameMachine);
}

const VERSION_SCRIPT = 'import sys; print("%d.%d" % sys.version_info[:2])';

async function interpreterVersion(python: string): Promise<string> {
  const result = await run(python, ['-c', VERSION_SCRIPT], {
    stream: false,
    label: python,
    missingHint: 'apt-get install python3',
  });
  return result.stdout.trim();
}

/**
 * The interpreter's own path (`sys.executable`): pip's --python takes a path, and a pyenv
 * shim on PATH is a script, not the interpreter.
 */
export async function interpreterPath(python: string): Promise<string> {
  const result = await run(python, ['-c', 'import sys; print(sys.executable)'], { stream: false, label: python, missingHint: 'apt-get install python3' });
  return result.stdout.trim();
}

export async function hostRuntime(python = 'python3', osReleasePath?: string): Promise<MachineRuntime> {
  const os = hostOs(osReleasePath);
  const version = await interpreterVersion(python);
  return { os, python: version, runtime: runtimeName(os, version), platform: hostPlatform() };
}

/**
 * A host build makes the host's runtime only: a request for another one fails
 * with what the host has and what to use instead.
 */
export function checkHostRuntime(requested: string | undefined, host: MachineRuntime, python = 'python3'): void {
  if (!requested || requested === host.runtime) return;
  const wanted = parseRuntime(requested);
  const why =
    wanted.os !== host.os
      ? `this host runs ${host.os}`
      : `${python} here is Python ${host.python}, not ${wanted.python}`;
  throw new BuildError(`runtime ${requested} cannot be built on this host (${why}; host runtime is ${host.runtime})`, {
    fix: `npx nx run worker-bundle:pkg --configuration=${requested}-${host.platform.short} (a foreign build in the runtime's builder image)`,
  });
}
