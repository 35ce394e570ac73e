import { existsSync, mkdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp-dir';
import { withRegistryLogin } from './login-config';

describe('withRegistryLogin', () => {
  it('holds only the login, readable by its owner alone, with the user’s CLI plugins and buildx builders linked in; gone afterwards', async () => {
    const user = tempDir('docker-user-config-');
    mkdirSync(join(user, 'cli-plugins'));
    mkdirSync(join(user, 'buildx'));
    let seen = '';
    const result = await withRegistryLogin(
      'registry.example:5000',
      'dXNlcjpwdw==',
      async (env) => {
        seen = env.DOCKER_CONFIG;
        expect(JSON.parse(readFileSync(join(seen, 'config.json'), 'utf8'))).toEqual({ auths: { 'registry.example:5000': { auth: 'dXNlcjpwdw==' } } });
        expect(statSync(join(seen, 'config.json')).mode & 0o777).toBe(0o600);
        expect(readlinkSync(join(seen, 'cli-plugins'))).toBe(join(user, 'cli-plugins'));
        // buildx's builder instances: the builder BUILDX_BUILDER names is found under the login too.
        expect(readlinkSync(join(seen, 'buildx'))).toBe(join(user, 'buildx'));
        return 'done';
      },
      user,
    );
    expect(result).toBe('done');
    expect(existsSync(seen)).toBe(false);
  });

  it('links no plugins the user lacks, and is gone when the work fails', async () => {
    let seen = '';
    const failed = withRegistryLogin('r', 'a', async (env) => {
      seen = env.DOCKER_CONFIG;
      expect(existsSync(join(seen, 'cli-plugins'))).toBe(false);
      expect(existsSync(join(seen, 'buildx'))).toBe(false);
      throw new Error('push refused');
    }, tempDir('docker-user-config-'));
    await expect(failed).rejects.toThrow('push refused');
    expect(existsSync(seen)).toBe(false);
  });
});
