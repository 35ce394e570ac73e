import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installInContainer } from './builder-run';
import { platformOf } from '../core/platform';
import { tempDir } from '../../testing/temp-dir';

let dir: string;
beforeEach(async () => {
  dir = tempDir('foreign-spec-');
  // A docker client that records its argv, one argument a line, and succeeds.
  await writeFile(join(dir, 'docker'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/argv"\n`);
  await chmod(join(dir, 'docker'), 0o755);
  vi.stubEnv('PATH', `${dir}:${process.env.PATH}`);
});
afterEach(async () => {
  vi.unstubAllEnvs();
});

describe('installInContainer', () => {
  it('resolves every requirement file in one pip run, build constraints by environment (older pips ignore it)', async () => {
    await installInContainer({
      workspace: '/ws',
      image: 'localhost:5001/build/lava/amzn2023-py3.13@sha256:abc',
      platform: platformOf('arm64'),
      requirements: ['packages/lava/requirements.txt', 'packages/lava/requirements-extra.txt'],
      buildConstraints: 'tools/python/build-constraints.txt',
      output: '/tmp/out',
      indexUrl: 'https://pypi.org/simple',
    });
    const argv = (await readFile(join(dir, 'argv'), 'utf8')).trim().split('\n');
    expect(argv).toContain('PIP_BUILD_CONSTRAINT=/lava/build/tools/python/build-constraints.txt');
    // On the command line it would fail a pip older than 25.3.
    expect(argv).not.toContain('--build-constraint');
    const pip = argv.slice(argv.indexOf('python3'));
    expect(pip.join(' ')).toContain('--requirement /lava/build/packages/lava/requirements.txt --requirement /lava/build/packages/lava/requirements-extra.txt');
    expect(pip.filter((a) => a === 'install')).toHaveLength(1);
  });
});
