// Runtimes: `<os>-py<X.Y>` names (amzn2023-py3.13), what bundles, builders and lambdas are
// named after, and the `<os>` part as /etc/os-release spells it on any machine.
import { BuildError } from '../core/errors';
import type { Platform } from '../core/platform';

export interface Runtime {
  /** `amzn2023-py3.13` */
  name: string;
  /** `amzn2023` */
  os: string;
  /** `3.13` */
  python: string;
}

/** The runtime a machine (the host, a builder container) runs, as it reports it, and its platform. */
export interface MachineRuntime {
  /** `debian12` */
  os: string;
  /** `3.11` */
  python: string;
  /** `debian12-py3.11` */
  runtime: string;
  platform: Platform;
}

const RUNTIME = /^([a-z][a-z0-9]*?\d+)-py(\d+\.\d+)$/;

export function runtimeName(os: string, python: string): string {
  return `${os}-py${python}`;
}

export function parseRuntime(name: string): Runtime {
  const runtime = tryParseRuntime(name);
  if (!runtime) {
    throw new BuildError(`"${name}" is not a runtime; a runtime is <os>-py<X.Y>, such as amzn2023-py3.13`);
  }
  return runtime;
}

/** `parseRuntime` that answers undefined instead of throwing, for names that may not be runtimes. */
function tryParseRuntime(name: string): Runtime | undefined {
  const match = RUNTIME.exec(name);
  return match ? { name, os: match[1], python: match[2] } : undefined;
}

// A builder file named almost like a runtime: `rocky9-p3.9`, `rocky9-python3.9`, `rocky9-3.9`.
const LOOSE_RUNTIME = /^([a-z][a-z0-9]*?\d+)-(?:p|py|python)?(\d+\.\d+)$/;

/**
 * The runtime a builder file name reads as: itself when it is `<os>-py<X.Y>`, the
 * runtime's own spelling when it is close to one (`rocky9-p3.9` → `rocky9-py3.9`),
 * otherwise undefined (only the container can tell, once built).
 */
export function runtimeOfName(name: string): Runtime | undefined {
  const exact = tryParseRuntime(name);
  if (exact) return exact;
  const match = LOOSE_RUNTIME.exec(name);
  return match ? { name: runtimeName(match[1], match[2]), os: match[1], python: match[2] } : undefined;
}

/** `<ID><major VERSION_ID>` from os-release: amzn2023, rocky9, ubuntu24, debian12. */
export function osFromOsRelease(text: string): string {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) fields.set(match[1], match[2].replace(/^["']|["']$/g, ''));
  }
  const id = fields.get('ID');
  const major = fields.get('VERSION_ID')?.split('.')[0];
  if (!id || !major) {
    throw new BuildError('cannot tell the host OS: /etc/os-release has no ID or VERSION_ID');
  }
  return `${id}${major}`;
}
