import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installInContainer } from './builder-run';
import { platformOf } from '../core/platform';
import { tempDir } from '../../testing/temp-dir';

let dir: string;
beforeEach(async () => {
  dir = tempDir('foreign-spec-');
  // A docker client that records its argv, one argument a line, and the index it was given; and succeeds.
  await writeFile(join(dir, 'docker'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/argv"\nprintf '%s' "$UV_INDEX_URL" > "${dir}/index"\n`);
  await chmod(join(dir, 'docker'), 0o755);
  vi.stubEnv('PATH', `${dir}:${process.env.PATH}`);
  vi.stubEnv('LAVA_BUILD_CACHE', join(dir, 'cache'));
});
afterEach(async () => {
  vi.unstubAllEnvs();
});

const install = {
  workspace: '/ws',
  image: 'localhost:5001/build/lava/amzn2023-py3.13@sha256:abc',
  platform: platformOf('arm64'),
  builder: 'amzn2023-py3.13',
  requirements: ['packages/lava/requirements.txt', 'packages/lava/requirements-extra.txt'],
  buildConstraints: 'tools/python/build-constraints.txt',
  output: '/tmp/out',
  indexUrl: 'https://me:s3cret@pypi.example/simple',
};

describe('installInContainer', () => {
  it('runs uv from the build cache in one resolution, its cache made on the host, the index by name', async () => {
    // uv already fetched on this machine: nothing is asked of the index.
    const binary = join(dir, 'cache/uv/bin', /^uv==(\S+)$/m.exec(await readFile(join(__dirname, '../../../../python/requirements.txt'), 'utf8'))![1], 'aarch64/uv');
    await mkdir(join(binary, '..'), { recursive: true });
    await writeFile(binary, '');
    await installInContainer({ ...install, workspace: join(__dirname, '../../../../..') });
    const argv = (await readFile(join(dir, 'argv'), 'utf8')).trim().split('\n');
    expect(argv).toContain(`${binary}:/lava/uv/uv:ro`);
    expect(argv).toContain(`${join(dir, 'cache/uv/cache/amzn2023-py3.13-aarch64')}:/lava/uv-cache`);
    expect(existsSync(join(dir, 'cache/uv/cache/amzn2023-py3.13-aarch64'))).toBe(true);
    const uv = argv.slice(argv.indexOf('/lava/uv/uv'));
    expect(uv.filter((a) => a === 'install')).toHaveLength(1);
    expect(argv.join(' ')).not.toContain('s3cret');
    expect(await readFile(join(dir, 'index'), 'utf8')).toBe(install.indexUrl);
  });

  it('fails in the installer’s one line, the index’s credentials hidden from line and detail', async () => {
    await writeFile(join(dir, 'docker'), `#!/bin/sh\necho "error: Request failed: $UV_INDEX_URL/tinyelf/ (tcp connect error)" >&2\nexit 2\n`);
    const binary = join(dir, 'cache/uv/bin', /^uv==(\S+)$/m.exec(await readFile(join(__dirname, '../../../../python/requirements.txt'), 'utf8'))![1], 'aarch64/uv');
    await mkdir(join(binary, '..'), { recursive: true });
    await writeFile(binary, '');
    const error = await installInContainer({ ...install, workspace: join(__dirname, '../../../../..') }).then(
      () => undefined,
      (e: unknown) => e as { message: string; detail?: string },
    );
    expect(error?.message).toMatch(/^uv could not get tinyelf from https:\/\/\*\*\*@pypi\.example\/simple \(the index is unreachable\)/);
    expect(`${error?.message}\n${error?.detail}`).not.toContain('s3cret');
  });

  it('runs the builder’s pip with --installer=pip, in one resolution', async () => {
    await installInContainer({ ...install, installer: 'pip' });
    const argv = (await readFile(join(dir, 'argv'), 'utf8')).trim().split('\n');
    expect(argv).toContain('PIP_BUILD_CONSTRAINT=/lava/build/tools/python/build-constraints.txt');
    const pip = argv.slice(argv.indexOf('python3'));
    expect(pip.join(' ')).toContain('--requirement /lava/build/packages/lava/requirements.txt --requirement /lava/build/packages/lava/requirements-extra.txt');
    expect(pip.filter((a) => a === 'install')).toHaveLength(1);
    expect(argv.some((a) => a.includes('uv'))).toBe(false);
  });
});
