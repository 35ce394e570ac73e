import { describe, expect, it } from 'vitest';
import { buildCacheDir } from './build-cache-dir';

describe('buildCacheDir', () => {
  it.each([
    [{ LAVA_BUILD_CACHE: '/x' }, 1000, '/x'],
    [{}, 0, '/var/cache/lava-build'],
    [{ XDG_CACHE_HOME: '/home/u/.c' }, 1000, '/home/u/.c/lava-build'],
  ])('%j uid %d → %s', (env, uid, expected) => {
    expect(buildCacheDir(env, uid)).toBe(expected);
  });
});
