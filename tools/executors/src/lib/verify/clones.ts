// Two clones of one commit that differ in everything a build must not depend on: the path (and
// its depth), the umask, the sources' mtimes, the time of the build and its time zone, and the
// user where this machine allows it. The clones share node_modules and the Python tools environment (.venv): both
// are pinned tooling, not sources, and copying them would only cost time.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, realpathSync, symlinkSync } from 'node:fs';
import { lutimes } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { BuildError } from '../core/errors';

export interface BuildUser {
  name: string;
  uid: number;
  gid: number;
  /** The command prefix that runs as this user: setpriv, or runuser where setpriv is missing. */
  prefix: string[];
}

export interface CloneSpec {
  label: 'A' | 'B';
  root: string;
  umask: number;
  /** Sources set to this time after checkout; undefined leaves them as git wrote them (now). */
  sourcesTime?: Date;
  /** Another user for this clone's build; undefined: the current user. */
  user?: BuildUser;
  /** HOME for the build (another user cannot write the current one's). */
  home?: string;
  /** TZ for the build: zip times are local times, so a build that lets the zone in shows here. */
  timezone?: string;
}

/** Runs `command` under `umask` (and as `user`): a child's umask and user can only be set by a shell and setpriv. */
export function wrapped(command: string[], umask: number, user?: BuildUser): [string, string[]] {
  const inner = ['sh', '-c', `umask ${umask.toString(8).padStart(4, '0')} && exec "$@"`, 'sh', ...command];
  const all = user ? [...user.prefix, ...inner] : inner;
  return [all[0], all.slice(1)];
}

function which(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `name` as a user to build as (uid, gid and the prefix that switches to it), or why not. */
export function resolveUser(name: string, uid = process.getuid?.() ?? -1): BuildUser | string {
  if (uid !== 0) return `not root, so the builds cannot switch user`;
  const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  let userId: number;
  let groupId: number;
  try {
    userId = id('-u');
    groupId = id('-g');
  } catch {
    return `no user "${name}" on this machine`;
  }
  if (userId === 0) return `"${name}" is root`;
  if (which('setpriv')) return { name, uid: userId, gid: groupId, prefix: ['setpriv', `--reuid=${userId}`, `--regid=${groupId}`, '--clear-groups', '--'] };
  if (which('runuser')) return { name, uid: userId, gid: groupId, prefix: ['runuser', '-u', name, '--'] };
  return 'neither setpriv nor runuser is installed (apt-get install util-linux)';
}

/**
 * Can `user` run what the build runs? Every probe is a command that must exit 0 as that user:
 * a toolchain under a home only its owner may enter (pyenv in /root) or a docker socket only
 * root may open makes a build as that user fail for reasons that are not the build's.
 */
export async function probeUser(user: BuildUser, probes: ReadonlyArray<{ what: string; command: string[]; env?: Record<string, string> }>): Promise<string | undefined> {
  for (const probe of probes) {
    const [file, args] = wrapped(probe.command, 0o022, user);
    const result = await execa(file, args, { cwd: '/', env: probe.env, reject: false, stdin: 'ignore', timeout: 30_000 });
    if (result.exitCode !== 0) {
      const last = String(result.stderr || result.stdout).trim().split('\n').pop() ?? '';
      const why = last.length > 120 ? `${last.slice(0, 119)}…` : last;
      return `${user.name} (uid ${user.uid}) cannot run ${probe.what}${why ? `: ${why}` : ''}`;
    }
  }
  return undefined;
}

async function touchTree(dir: string, time: Date): Promise<void> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const info = lstatSync(path);
    if (info.isDirectory()) await touchTree(path, time);
    await lutimes(path, time, time);
  }
  await lutimes(dir, time, time);
}

/** Clones `source`'s HEAD commit into `spec.root` under the clone's umask, as it would be for a fresh checkout. */
export async function makeClone(source: string, commit: string, spec: CloneSpec, shared: { nodeModules: string; venv?: string }): Promise<void> {
  mkdirSync(join(spec.root, '..'), { recursive: true });
  const [file, args] = wrapped(['git', 'clone', '--quiet', '--no-hardlinks', '--depth=1', `file://${source}`, spec.root], spec.umask);
  const cloned = await execa(file, args, { reject: false, stdin: 'ignore', env: { GIT_CONFIG_NOSYSTEM: '1' } });
  if (cloned.exitCode !== 0) throw new BuildError(`git clone of ${source} into ${spec.root} failed`, { detail: String(cloned.stderr) });
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: spec.root, encoding: 'utf8' }).trim();
  if (head !== commit) throw new BuildError(`clone ${spec.label} checked out ${head}, not the workspace's HEAD ${commit} (a detached HEAD?)`, { fix: 'git checkout <branch>' });
  symlinkSync(realpathSync(shared.nodeModules), join(spec.root, 'node_modules'));
  if (shared.venv && existsSync(shared.venv)) symlinkSync(realpathSync(shared.venv), join(spec.root, '.venv'));
  if (spec.sourcesTime) {
    for (const name of readdirSync(spec.root)) {
      if (name === '.git' || name === 'node_modules' || name === '.venv') continue;
      const path = join(spec.root, name);
      if (lstatSync(path).isDirectory()) await touchTree(path, spec.sourcesTime);
      else await lutimes(path, spec.sourcesTime, spec.sourcesTime);
    }
  }
  if (spec.home) mkdirSync(spec.home, { recursive: true, mode: 0o700 });
  if (spec.user) {
    // The clone, its parent (the build may write beside nothing else) and its HOME become the user's.
    for (const dir of [join(spec.root, '..'), ...(spec.home ? [spec.home] : [])]) {
      execFileSync('chown', ['-hR', `${spec.user.uid}:${spec.user.gid}`, dir]);
    }
  }
}

/** The environment of one clone's build: nothing of the outer nx (its task, cache, daemon), no SOURCE_DATE_EPOCH, no remote cache. */
export function buildEnv(base: NodeJS.ProcessEnv, spec: CloneSpec, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined || key.startsWith('NX_') || key === 'SOURCE_DATE_EPOCH') continue;
    // Another user has its own caches (and cannot write the current user's).
    if (spec.user && /^(UV_CACHE_DIR|PIP_CACHE_DIR|XDG_[A-Z]+_HOME|npm_config_cache)$/.test(key)) continue;
    env[key] = value;
  }
  return {
    ...env,
    ...extra,
    ...(spec.home ? { HOME: spec.home } : {}),
    ...(spec.timezone ? { TZ: spec.timezone } : {}),
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_ISOLATE_PLUGINS: 'false',
    NX_TUI: 'false',
  };
}
