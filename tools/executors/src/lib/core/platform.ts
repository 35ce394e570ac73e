// Runtime and platform vocabulary, in one place. A platform has three
// spellings: `uname -m` (file names), docker's, and Oracle's download names.
import { readFileSync } from 'node:fs';
import { machine } from 'node:os';
import { BuildError } from './errors';

export interface Platform {
  /** `uname -m`: x86_64 | aarch64 — used in bundle file names */
  arch: 'x86_64' | 'aarch64';
  /** docker's: linux/amd64 | linux/arm64 */
  docker: 'linux/amd64' | 'linux/arm64';
  /** the short docker word used in configuration names: amd64 | arm64 */
  short: 'amd64' | 'arm64';
  /** Oracle Instant Client downloads: x64 | arm64 */
  oracle: 'x64' | 'arm64';
}

export const PLATFORMS: readonly Platform[] = [
  { arch: 'x86_64', docker: 'linux/amd64', short: 'amd64', oracle: 'x64' },
  { arch: 'aarch64', docker: 'linux/arm64', short: 'arm64', oracle: 'arm64' },
];

// macOS says arm64 for aarch64; every other spelling is one of the table's.
const ALIASES: Record<string, Platform['arch']> = { arm64: 'aarch64', x64: 'x86_64', amd64: 'x86_64' };

/** Accepts any spelling of a platform and returns all of them. */
export function platformOf(spelling: string): Platform {
  const key = spelling.trim();
  const found = PLATFORMS.find(
    (p) => p.arch === key || p.docker === key || p.short === key || p.oracle === key || p.arch === ALIASES[key],
  );
  if (!found) {
    const known = PLATFORMS.flatMap((p) => [p.arch, p.docker, p.short, p.oracle]);
    throw new BuildError(`unknown platform "${spelling}"; known: ${[...new Set(known)].join(', ')}`);
  }
  return found;
}

export interface Runtime {
  /** `amzn2023-py3.13` */
  name: string;
  /** `amzn2023` */
  os: string;
  /** `3.13` */
  python: string;
}

const RUNTIME = /^([a-z][a-z0-9]*?\d+)-py(\d+\.\d+)$/;

export function parseRuntime(name: string): Runtime {
  const match = RUNTIME.exec(name);
  if (!match) {
    throw new BuildError(`"${name}" is not a runtime; a runtime is <os>-py<X.Y>, such as amzn2023-py3.13`);
  }
  return { name, os: match[1], python: match[2] };
}

/** `parseRuntime` that answers undefined instead of throwing, for names that may not be runtimes. */
export function tryParseRuntime(name: string): Runtime | undefined {
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

/** Validates `name` against the known runtimes (the builder Dockerfiles), listing them on error. */
export function checkRuntime(name: string, known: readonly string[], fix?: string): Runtime {
  if (!known.includes(name)) {
    const list = known.length ? known.join(', ') : 'none';
    throw new BuildError(`unknown runtime "${name}"; known: ${list}`, fix ? { fix } : {});
  }
  return parseRuntime(name);
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

export function runtimeName(os: string, python: string): string {
  return `${os}-py${python}`;
}
