// Real nx in a throwaway copy of this workspace. The copy holds the tracked
// files plus untracked, not-ignored ones (so uncommitted work is tested too);
// node_modules and the Python environment are symlinked, not copied.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const WORKSPACE_ROOT = resolve(__dirname, '../..');

/** The environment every workspace test runs nx with. */
export const NX_ENV = {
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_ISOLATE_PLUGINS: 'false',
  NX_TUI: 'false',
  NX_SKIP_NX_CACHE: undefined,
  CI: 'true',
  FORCE_COLOR: '0',
  NO_COLOR: '1',
};

export interface NxResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout + stderr, for assertions on what a user sees. */
  output: string;
}

export interface TempWorkspace {
  root: string;
  nx(args: string[], env?: Record<string, string | undefined>): NxResult;
  path(...parts: string[]): string;
  remove(): void;
}

function workspaceFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: WORKSPACE_ROOT });
  return out.toString().split('\0').filter((f) => f && existsSync(join(WORKSPACE_ROOT, f)));
}

export function copyWorkspace(options: { git?: boolean; prefix?: string } = {}): TempWorkspace {
  const root = mkdtempSync(join(tmpdir(), `${options.prefix ?? 'lava-ws'}-`));
  for (const file of workspaceFiles()) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    cpSync(join(WORKSPACE_ROOT, file), join(root, file), { verbatimSymlinks: true });
  }
  for (const shared of ['node_modules', '.venv']) {
    if (existsSync(join(WORKSPACE_ROOT, shared))) symlinkSync(join(WORKSPACE_ROOT, shared), join(root, shared));
  }
  if (options.git) initGit(root);
  return {
    root,
    path: (...parts) => join(root, ...parts),
    nx: (args, env = {}) => runNx(root, args, env),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

export function initGit(root: string): void {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@lava.invalid');
  git('config', 'user.name', 'lava test');
  git('config', 'commit.gpgsign', 'false');
  git('config', 'gc.auto', '0');
  git('add', '-A');
  git('commit', '-q', '-m', 'fixture');
}

export function runNx(cwd: string, args: string[], env: Record<string, string | undefined> = {}): NxResult {
  const merged: NodeJS.ProcessEnv = { ...process.env, ...NX_ENV, ...env };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  const result = spawnSync(join(cwd, 'node_modules/.bin/nx'), args, { cwd, env: merged, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const stdout = result.stdout ?? '';
  const stderr = result.stderr ?? '';
  return { exitCode: result.status ?? 1, stdout, stderr, output: `${stdout}\n${stderr}` };
}

/** What nx said about a task's cache use in `output`: 'local', 'remote' or 'miss'. */
export function cacheStatus(output: string, task: string): 'local' | 'remote' | 'miss' {
  const line = output.split('\n').find((l) => new RegExp(`nx run ${task.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`).test(l)) ?? '';
  if (line.includes('[remote cache]')) return 'remote';
  if (line.includes('[local cache]') || line.includes('[existing outputs match the cache, left as is]')) return 'local';
  return 'miss';
}
