// Platform vocabulary, in one place. A platform has four spellings: `uname -m`
// (file names), docker's, docker's short word, and Oracle's download names.
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

/** The platforms named by `spellings` (any spelling), or every platform when none are given. */
export function platformsOf(spellings?: readonly string[]): readonly Platform[] {
  return spellings ? spellings.map(platformOf) : PLATFORMS;
}
