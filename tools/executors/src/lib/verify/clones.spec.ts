import { execFileSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp-dir';
import { buildEnv, makeClone, resolveUser, wrapped, type CloneSpec } from './clones';

describe('wrapped', () => {
  it('runs a command under a umask, and as another user through its prefix', () => {
    const [file, args] = wrapped(['git', 'clone', 'x'], 0o077);
    expect([file, ...args]).toEqual(['sh', '-c', 'umask 0077 && exec "$@"', 'sh', 'git', 'clone', 'x']);
    const user = { name: 'nobody', uid: 65534, gid: 65534, prefix: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'] };
    expect(wrapped(['nx'], 0o022, user)[0]).toBe('setpriv');
    const dir = tempDir();
    const [sh, shArgs] = wrapped(['touch', join(dir, 'f')], 0o077);
    execFileSync(sh, shArgs);
    expect(statSync(join(dir, 'f')).mode & 0o777).toBe(0o600);
  });
});

describe('resolveUser', () => {
  it('says why not when this is not root, or the user is missing', () => {
    expect(resolveUser('nobody', 1000)).toBe('not root, so the builds cannot switch user');
    expect(resolveUser('no-such-user-lava', 0)).toBe('no user "no-such-user-lava" on this machine');
  });
});

describe('buildEnv', () => {
  const a: CloneSpec = { label: 'A', root: '/w/a', umask: 0o022 };
  it('drops the outer nx and SOURCE_DATE_EPOCH, turns the daemon and remote caches off', () => {
    const env = buildEnv({ PATH: '/bin', NX_TASK_TARGET_PROJECT: 'reproducibility', NX_SELF_HOSTED_REMOTE_CACHE_SERVER: 'http://c', SOURCE_DATE_EPOCH: '1', PIP_INDEX_URL: 'https://i' }, a);
    expect(env).toEqual({ PATH: '/bin', PIP_INDEX_URL: 'https://i', NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_ISOLATE_PLUGINS: 'false', NX_TUI: 'false' });
  });
  it('gives another user its own HOME and none of the current user\'s caches', () => {
    const user = { name: 'nobody', uid: 65534, gid: 65534, prefix: [] };
    const env = buildEnv({ PATH: '/bin', HOME: '/root', UV_CACHE_DIR: '/root/.cache/uv' }, { ...a, user, home: '/w/home' }, { DOCKER_HOST: 'unix:///d.sock' });
    expect(env).toMatchObject({ HOME: '/w/home', DOCKER_HOST: 'unix:///d.sock' });
    expect(buildEnv({ TZ: 'UTC' }, { ...a, timezone: 'Etc/GMT-14' }).TZ).toBe('Etc/GMT-14');
    expect(env).not.toHaveProperty('UV_CACHE_DIR');
  });
});

describe('makeClone', () => {
  it('clones HEAD under the umask, links the shared tooling, dates the sources', async () => {
    const source = tempDir();
    const git = (...args: string[]) => execFileSync('git', args, { cwd: source, encoding: 'utf8' }).trim();
    git('init', '-q', '-b', 'main');
    writeFileSync(join(source, 'a.txt'), 'a\n');
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-q', '-m', 'one');
    const work = tempDir();
    const spec: CloneSpec = { label: 'B', root: join(work, 'deeper', 'b'), umask: 0o077, sourcesTime: new Date('2001-02-03T04:05:06Z') };
    await makeClone(source, git('rev-parse', 'HEAD'), spec, { nodeModules: join(__dirname, '../../../../../node_modules') });
    const file = statSync(join(spec.root, 'a.txt'));
    expect(file.mode & 0o777).toBe(0o600);
    expect(file.mtime.toISOString()).toBe('2001-02-03T04:05:06.000Z');
    expect(statSync(join(spec.root, 'node_modules/nx')).isDirectory()).toBe(true);
    await expect(makeClone(source, 'f'.repeat(40), { ...spec, root: join(work, 'c') }, { nodeModules: join(__dirname, '../../../../../node_modules') })).rejects.toThrow(/not the workspace's HEAD/);
  });
});
