// A registry login for the docker CLI without `docker login`: a throwaway
// DOCKER_CONFIG holding only that login, so the token never touches argv or the
// user's ~/.docker, and is gone when the work is done.
import { existsSync } from 'node:fs';
import { symlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { withTempDir } from '../core/fs';

/** The user's docker config folder, as the docker CLI finds it. */
export function userDockerConfig(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG ?? join(homedir(), '.docker');
}

/**
 * Runs `work` with the env (`DOCKER_CONFIG`) that makes docker commands log in to `registry`
 * with `auth` (base64 `user:password`, as config.json's `auths` holds it). The user's CLI
 * plugins (buildx) are linked in, so `docker buildx` still works under that config, and so are
 * buildx's builder instances (its `buildx` folder), so the builder `BUILDX_BUILDER` names is found.
 */
export async function withRegistryLogin<T>(
  registry: string,
  auth: string,
  work: (env: { DOCKER_CONFIG: string }) => Promise<T>,
  userConfig = userDockerConfig(),
): Promise<T> {
  return withTempDir('lava-docker-login', async (config) => {
    await writeFile(join(config, 'config.json'), JSON.stringify({ auths: { [registry]: { auth } } }), { mode: 0o600 });
    const plugins = join(userConfig, 'cli-plugins');
    if (existsSync(plugins)) await symlink(plugins, join(config, 'cli-plugins'));
    const builders = join(userConfig, 'buildx');
    if (existsSync(builders)) await symlink(builders, join(config, 'buildx'));
    return work({ DOCKER_CONFIG: config });
  });
}
