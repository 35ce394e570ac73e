// The two-node BuildKit builder of `engine.sh nodes` (one buildkitd for linux/amd64, one for
// linux/arm64 through qemu, joined as the buildx builder lava-nodes), for the docker tests that
// build on it. Where buildkitd cannot be had (no Go, or no module proxy to build it from) they
// skip and say why: that is this machine's limit, not a defect.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ENGINE, engineEnv } from './docker';

export const NODES_BUILDER = 'lava-nodes';
const CACHE = process.env.LAVA_BUILD_CACHE ?? (process.getuid?.() === 0 ? '/var/cache/lava-build' : join(homedir(), '.cache/lava-build'));
export const NODES_DIR = join(CACHE, 'buildkit');

export function engine(args: string[], env: Record<string, string> = {}) {
  return spawnSync('bash', [ENGINE, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 900_000 });
}

/** Why the two BuildKit nodes cannot be had here (no root, no buildkitd and no Go or proxy to build it), or undefined. */
export function nodesUnavailable(): string | undefined {
  const check = engine(['nodes', 'check'], engineEnv());
  return check.status === 0 ? undefined : check.stderr.trim().replace(/^✖ engine: /, '');
}

export const nodesUp = () => engine(['nodes', 'up'], engineEnv());
export const nodesDown = () => engine(['nodes', 'down'], engineEnv());

/** A node's buildkitd --debug log (each step it runs, each command it starts). */
export function nodeLog(arch: 'amd64' | 'arm64'): string {
  return readFileSync(join(NODES_DIR, 'log', `${arch}.log`), 'utf8');
}
