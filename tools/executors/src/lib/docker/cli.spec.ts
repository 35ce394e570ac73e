import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildxBuildArgs, builderImage, builderInUse, checkMultiPlatformBuildx, digestFromMetadata, dockerRunArgs, multiPlatformProblem } from './cli';
import { platformOf } from '../core/platform';
import { tempDir } from '../../testing/temp-dir';

const amd64 = platformOf('amd64');
const arm64 = platformOf('arm64');

describe('buildxBuildArgs', () => {
  // prettier-ignore
  it.each([
    ['both platforms, PIP_INDEX_URL by name', { platforms: [amd64, arm64], secretsFromEnv: ['PIP_INDEX_URL'] },
      ['buildx', 'build', '--push', '--pull', '--platform=linux/amd64,linux/arm64', '--provenance=false', '--metadata-file', '/t/m.json',
       '-f', 'etc/builders/amzn2023-py3.13.Dockerfile', '-t', 'localhost:5001/build/lava/amzn2023-py3.13:latest', '--secret', 'id=PIP_INDEX_URL,env=PIP_INDEX_URL', 'etc/builders']],
    ['one platform, no build args', { platforms: [arm64] },
      ['buildx', 'build', '--push', '--pull', '--platform=linux/arm64', '--provenance=false', '--metadata-file', '/t/m.json',
       '-f', 'etc/builders/amzn2023-py3.13.Dockerfile', '-t', 'localhost:5001/build/lava/amzn2023-py3.13:latest', 'etc/builders']],
  ])('%s', (_, extra, expected) => {
    const args = buildxBuildArgs({
      dockerfile: 'etc/builders/amzn2023-py3.13.Dockerfile',
      context: 'etc/builders',
      tags: ['localhost:5001/build/lava/amzn2023-py3.13:latest'],
      metadataFile: '/t/m.json',
      ...extra,
    });
    expect(args).toEqual(expected);
  });

  it('never puts a secret value on the command line', () => {
    const args = buildxBuildArgs({ dockerfile: 'f', context: '.', tags: ['t'], platforms: [amd64], metadataFile: 'm', secretsFromEnv: ['PIP_INDEX_URL'] });
    expect(args.filter((a) => a.includes('='))).toEqual(['--platform=linux/amd64', '--provenance=false', 'id=PIP_INDEX_URL,env=PIP_INDEX_URL']);
  });
});

describe('dockerRunArgs', () => {
  // prettier-ignore
  it.each([
    ['arm64, pip settings by name', arm64, ['PIP_INDEX_URL'], {},
      ['run', '--rm', '--user', '1000:1000', '-w', '/lava/build', '-v', '/ws:/lava/build', '-e', 'PIP_INDEX_URL',
       '--platform', 'linux/arm64', 'localhost:5001/build/lava/amzn2023-py3.13@sha256:ab', 'python3', '-V']],
    ['amd64 with a fixed value', amd64, [], { PIP_NO_CACHE_DIR: '1' },
      ['run', '--rm', '--user', '1000:1000', '-w', '/lava/build', '-v', '/ws:/lava/build', '-e', 'PIP_NO_CACHE_DIR=1',
       '--platform', 'linux/amd64', 'localhost:5001/build/lava/amzn2023-py3.13@sha256:ab', 'python3', '-V']],
  ])('%s', (_, platform, envFromHost, env, expected) => {
    const args = dockerRunArgs({
      image: `${builderImage('amzn2023-py3.13')}@sha256:ab`,
      platform,
      uid: 1000,
      gid: 1000,
      mounts: [['/ws', '/lava/build']],
      workdir: '/lava/build',
      envFromHost,
      env,
      command: ['python3', '-V'],
    });
    expect(args).toEqual(expected);
  });
});

describe('multiPlatformProblem', () => {
  const inspect = (platforms: string) => `Name: default\nDriver: docker\n\nNodes:\nPlatforms:        ${platforms}\n`;
  it.each([
    ['linux/amd64, linux/amd64/v2, linux/arm64', undefined],
    ['linux/amd64*, linux/arm64*', undefined],
    ['linux/amd64, linux/386', 'the buildx builder cannot build for linux/arm64 (no emulation registered?)'],
  ])('%s', (platforms, expected) => {
    expect(multiPlatformProblem(inspect(platforms), [amd64, arm64], {})).toBe(expected);
  });

  // `docker buildx inspect lava-nodes` of a remote builder with one node per platform.
  const twoNodes = [
    'Name:          lava-nodes', 'Driver:        remote', '', 'Nodes:',
    'Name:          lava-nodes0', 'Endpoint:      unix:///c/amd64.sock', 'Status:        running', 'Platforms:     linux/amd64*', '',
    'Name:          lava-nodes1', 'Endpoint:      unix:///c/arm64.sock', 'Status:        running', 'Platforms:     linux/arm64*', '',
  ].join('\n');

  it('takes every node of a multi-node builder: one per platform builds both', () => {
    expect(multiPlatformProblem(twoNodes, [amd64, arm64], { BUILDX_BUILDER: 'lava-nodes' })).toBeUndefined();
  });

  it('names the builder BUILDX_BUILDER chose when no node of it offers a platform', () => {
    const amd64Only = twoNodes.split('Name:          lava-nodes1')[0];
    expect(multiPlatformProblem(amd64Only, [amd64, arm64], { BUILDX_BUILDER: 'lava-nodes' })).toBe(
      'the buildx builder lava-nodes (BUILDX_BUILDER) cannot build for linux/arm64 (no node of it offers that, natively or emulated)',
    );
  });
});

describe('builderInUse', () => {
  it('names the builder BUILDX_BUILDER names, else the current one', () => {
    expect(builderInUse({ BUILDX_BUILDER: 'lava-nodes' })).toBe('the buildx builder lava-nodes (BUILDX_BUILDER)');
    expect(builderInUse({})).toBe('the buildx builder');
  });
});

describe('digestFromMetadata', () => {
  it('reads the pushed digest', async () => {
    const dir = tempDir('docker-spec-');
    const digest = `sha256:${'a'.repeat(64)}`;
    await writeFile(join(dir, 'm.json'), JSON.stringify({ 'containerimage.digest': digest }));
    expect(await digestFromMetadata(join(dir, 'm.json'))).toBe(digest);
  });

  it('fails with one line when buildx wrote no digest', async () => {
    const dir = tempDir('docker-spec-');
    await writeFile(join(dir, 'm.json'), '{}');
    await expect(digestFromMetadata(join(dir, 'm.json'))).rejects.toThrow(/buildx wrote no image digest/);
  });
});

// A FAKE docker client on PATH: each case scripts what `docker buildx inspect` and `docker info` answer.
async function fakeDocker(script: string): Promise<string> {
  const dir = tempDir('fake-docker-');
  await writeFile(join(dir, 'docker'), `#!/bin/sh\n${script}\n`);
  await chmod(join(dir, 'docker'), 0o755);
  return dir;
}

describe('checkMultiPlatformBuildx', () => {
  afterEach(() => vi.unstubAllEnvs());
  const inspect = (driver: string) => `echo "Name: default"; echo "Driver: ${driver}"; echo "Platforms: linux/amd64, linux/arm64"`;

  it.each([
    ['buildx is missing', 'echo "docker: unknown command: docker buildx" >&2; exit 1', /^docker buildx is missing or broken; run: /],
    ['the docker driver lacks the containerd image store', `case "$1" in buildx) ${inspect('docker')};; info) echo '[["Backing Filesystem","extfs"]]';; esac`, /docker driver cannot build multi-platform images without the containerd image store; run: /],
    ['no arm64 emulation', 'echo "Driver: docker-container"; echo "Platforms: linux/amd64, linux/386"', /cannot build for linux\/arm64 \(no emulation registered\?\)/],
  ])('fails in one line when %s', async (_, script, message) => {
    vi.stubEnv('PATH', `${await fakeDocker(script)}:${process.env.PATH}`);
    await expect(checkMultiPlatformBuildx([amd64, arm64])).rejects.toThrow(message);
  });

  // buildx reads BUILDX_BUILDER itself (in `inspect` as in `build` and `imagetools`): the check
  // passes our environment through, so it inspects the named builder, not the default one.
  it('inspects the builder BUILDX_BUILDER names: the variable reaches docker', async () => {
    const script = `[ "$BUILDX_BUILDER" = lava-nodes ] || { echo "Driver: docker"; echo "Platforms: linux/amd64"; exit 0; }
echo "Name: lava-nodes"; echo "Driver: remote"; echo "Platforms: linux/amd64*"; echo "Platforms: linux/arm64*"`;
    vi.stubEnv('PATH', `${await fakeDocker(script)}:${process.env.PATH}`);
    vi.stubEnv('BUILDX_BUILDER', 'lava-nodes');
    await expect(checkMultiPlatformBuildx([amd64, arm64])).resolves.toBeUndefined();
  });

  it('says which named builder is missing, and how to see the others', async () => {
    vi.stubEnv('PATH', `${await fakeDocker('echo "ERROR: no builder \\"gone\\" found" >&2; exit 1')}:${process.env.PATH}`);
    vi.stubEnv('BUILDX_BUILDER', 'gone');
    await expect(checkMultiPlatformBuildx([amd64, arm64])).rejects.toThrow(/^the buildx builder gone \(BUILDX_BUILDER\) is missing or does not answer; run: docker buildx ls/);
  });

  it('accepts the docker driver with the containerd image store', async () => {
    vi.stubEnv('PATH', `${await fakeDocker(`case "$1" in buildx) ${inspect('docker')};; info) echo '[["driver-type","io.containerd.snapshotter.v1"]]';; esac`)}:${process.env.PATH}`);
    await expect(checkMultiPlatformBuildx([amd64, arm64])).resolves.toBeUndefined();
  });
});
