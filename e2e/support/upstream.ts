// The real lava tree in tests: `../shared/upstream/lava` beside this workspace,
// adopted into a throwaway copy of the workspace the way a lava team adopts it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { copyWorkspace, WORKSPACE_ROOT, type TempWorkspace } from './workspace';

export const UPSTREAM_LAVA = resolve(WORKSPACE_ROOT, '../shared/upstream/lava');

/**
 * Why the upstream tests cannot run here, or undefined when they can. Under CI the
 * tree must be there: its absence fails the run instead of skipping it.
 */
export function upstreamSkipReason(): string | undefined {
  if (existsSync(resolve(UPSTREAM_LAVA, 'lava/VERSION.json'))) return undefined;
  const reason = `the real lava tree is not at ${UPSTREAM_LAVA}`;
  if (process.env.CI) throw new Error(`${reason}; CI needs ../shared beside the clone`);
  return reason;
}

/** A temp copy of the workspace with the real tree adopted and committed. */
export function adoptedWorkspace(options: { prefix?: string } = {}): TempWorkspace {
  const ws = copyWorkspace({ git: true, prefix: options.prefix ?? 'lava-adopted' });
  try {
    const adopt = ws.nx(['g', './tools/executors:adopt-lava', `--source=${UPSTREAM_LAVA}`]);
    if (adopt.exitCode !== 0) throw new Error(`adopt-lava failed:\n${adopt.output}`);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ws.root, stdio: 'pipe' });
    git('add', '-A');
    git('commit', '-q', '-m', 'Adopt lava');
  } catch (error) {
    ws.remove();
    throw error;
  }
  return ws;
}
