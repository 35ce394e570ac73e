import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { BuildError } from './errors';
import { explainFailure, shortCommand } from './explain';
import { lavaExecutor } from './executor';
import { run } from './process';
import { captureStderr, fakeContext } from '../../testing/executor-context';
import { tempDir } from '../../testing/temp-dir';

// What buildx printed, here, for a builder FROM amazonlinux:2023 with no way to Docker Hub.
const BUILDX = [
  '#2 [linux/amd64 internal] load metadata for docker.io/library/amazonlinux:2023',
  '#2 ERROR: failed to do request: Head "https://registry-1.docker.io/v2/library/amazonlinux/manifests/2023": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host',
  'ERROR: failed to solve: amazonlinux:2023: failed to resolve source metadata for docker.io/library/amazonlinux:2023: failed to do request: Head "https://registry-1.docker.io/v2/library/amazonlinux/manifests/2023": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host',
].join('\n');

describe('explainFailure', () => {
  it('names the base image, the registry and the fix for a pull buildx could not do', () => {
    expect(explainFailure('docker', ['buildx', 'build'], BUILDX)).toEqual({
      problem: 'cannot pull the base image docker.io/library/amazonlinux:2023 from registry-1.docker.io (no such host)',
      fix: 'dockerd --registry-mirror=<a mirror of docker.io you can reach> (README, "Without network")',
    });
    expect(explainFailure('docker', ['buildx', 'build'], 'ERROR: failed to solve: process "/bin/sh -c false" did not complete successfully')).toBeUndefined();
    expect(explainFailure('pip', ['install'], BUILDX)).toBeUndefined();
  });
  it('shortens a long command line', () => {
    expect(shortCommand('docker buildx build')).toBe('docker buildx build');
    const long = shortCommand(`docker buildx build ${'--platform=linux/amd64,linux/arm64 '.repeat(40)}.`);
    expect(long.length).toBeLessThanOrEqual(122);
    expect(long.endsWith(' …')).toBe(true);
  });
});

describe('a failed buildx, as the executor shows it', () => {
  it('one ✖ line naming the image and the registry, the output once (streamed), never the whole command', async () => {
    const bin = tempDir('explain-bin-');
    await writeFile(join(bin, 'BUILDX.txt'), `${BUILDX}\n`);
    await writeFile(join(bin, 'docker'), `#!/bin/sh\ncat "${bin}/BUILDX.txt" >&2\nexit 1\n`);
    await chmod(join(bin, 'docker'), 0o755);
    vi.stubEnv('PATH', `${bin}:${process.env.PATH}`);
    try {
      const executor = lavaExecutor<object>(async () => {
        await run('docker', ['buildx', 'build', '--push', '--pull', `--platform=${'linux/amd64,linux/arm64,'.repeat(60)}`, '.'], { label: 'docker buildx build of amzn2023-py3.13', stream: false });
      });
      const { result, stderr } = await captureStderr(() => executor({}, fakeContext(bin, 'builder-amzn2023-py3.13', 'etc/builders/amzn2023-py3.13')));
      expect(result).toEqual({ success: false });
      const marks = stderr.split('\n').filter((l) => l.startsWith('✖ '));
      expect(marks).toEqual([
        '✖ builder-amzn2023-py3.13:build: docker buildx build of amzn2023-py3.13: cannot pull the base image docker.io/library/amazonlinux:2023 from registry-1.docker.io (no such host); run: dockerd --registry-mirror=<a mirror of docker.io you can reach> (README, "Without network")',
      ]);
      // Not streamed here, so the tool's output is shown once, above the line.
      expect(stderr.split('failed to solve').length - 1).toBe(1);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('a streamed detail is not printed a second time', async () => {
    const executor = lavaExecutor<object>(async () => {
      throw new BuildError('x failed', { detail: 'the tool said this', detailShown: true });
    });
    const { stderr } = await captureStderr(() => executor({}, fakeContext('/tmp', 'p', 'p')));
    expect(stderr).toBe('✖ p:build: x failed\n');
  });
});
