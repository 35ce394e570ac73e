// Where the build keeps state outside the clone (the registry's storage, say).
import { homedir } from 'node:os';
import { join } from 'node:path';

/** LAVA_BUILD_CACHE, else /var/cache/lava-build for root, else the XDG cache (same rule as tools/docker-engine/engine.sh). */
export function buildCacheDir(env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.() ?? 0): string {
  if (env.LAVA_BUILD_CACHE) return env.LAVA_BUILD_CACHE;
  if (uid === 0) return '/var/cache/lava-build';
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lava-build');
}
