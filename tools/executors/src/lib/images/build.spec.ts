import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOs, imageBuildxArgs, imageRepository, knownOses } from './build';
import { platformOf } from '../core/platform';

const ROOT = resolve(__dirname, '../../../../..');
const amd64 = platformOf('linux/amd64');
const arm64 = platformOf('linux/arm64');

describe('the OS folders', () => {
  it('builds the os/ folders and lists os.legacy/ apart', () => {
    expect(knownOses(ROOT)).toEqual({ current: ['amzn2023', 'ubuntu24'], legacy: ['rocky9'] });
  });

  it('names the known and the legacy OSes for an unknown one', () => {
    expect(() => checkOs(ROOT, 'debian12')).toThrow('unknown OS "debian12"; known: amzn2023, ubuntu24 (legacy, not built: rocky9); run: ls packages/docker/os');
    expect(() => checkOs(ROOT, 'rocky9')).toThrow(/^OS "rocky9" is legacy \(packages\/docker\/os.legacy\/rocky9\) and is not built; known: amzn2023, ubuntu24/);
    expect(() => checkOs(ROOT, 'amzn2023')).not.toThrow();
  });
});

describe('image names and build arguments', () => {
  it('spells repositories with and without a prefix', () => {
    expect(imageRepository('amzn2023', 'full')).toBe('lava/amzn2023/full');
    expect(imageRepository('amzn2023', 'base', 'dist')).toBe('dist/lava/amzn2023/base');
  });

  it('builds multi-platform, pushes, labels and annotates index and manifests, passes secrets by name', () => {
    const args = imageBuildxArgs({
      dockerfile: '/w/packages/docker/Dockerfile',
      context: '/tmp/ctx',
      tags: ['localhost:5001/lava/amzn2023/base:8.2.0', 'localhost:5001/lava/amzn2023/base:latest'],
      platforms: [amd64, arm64],
      metadataFile: '/tmp/m.json',
      buildArgs: { base: 'amazonlinux:2023', type: 'base' },
      labels: { 'org.opencontainers.image.title': 'Lava base (amzn2023)' },
      annotations: { 'org.opencontainers.image.licenses': 'BSD-3-Clause' },
      secretsFromEnv: ['PIP_INDEX_URL'],
    });
    expect(args).toEqual([
      'buildx', 'build', '--output=type=registry,oci-mediatypes=true', '--pull', '--platform=linux/amd64,linux/arm64', '--provenance=false',
      '--metadata-file', '/tmp/m.json', '-f', '/w/packages/docker/Dockerfile',
      '-t', 'localhost:5001/lava/amzn2023/base:8.2.0', '-t', 'localhost:5001/lava/amzn2023/base:latest',
      '--build-arg', 'base=amazonlinux:2023', '--build-arg', 'type=base',
      '--label', 'org.opencontainers.image.title=Lava base (amzn2023)',
      '--annotation', 'index:org.opencontainers.image.licenses=BSD-3-Clause',
      '--annotation', 'manifest:org.opencontainers.image.licenses=BSD-3-Clause',
      '--secret', 'id=PIP_INDEX_URL,env=PIP_INDEX_URL',
      '/tmp/ctx',
    ]);
  });

  it('annotates only the manifest of a one-platform build (BuildKit pushes no index then)', () => {
    const args = imageBuildxArgs({ dockerfile: 'D', context: 'C', tags: ['t'], platforms: [amd64], metadataFile: 'm', buildArgs: {}, labels: {}, annotations: { a: 'b' } });
    expect(args.filter((a) => a.includes('a=b'))).toEqual(['manifest:a=b']);
  });

  it('rebuilds every layer only when asked', () => {
    const inputs = { dockerfile: 'D', context: 'C', tags: ['t'], platforms: [amd64], metadataFile: 'm', buildArgs: {}, labels: {}, annotations: {} };
    expect(imageBuildxArgs(inputs)).not.toContain('--no-cache');
    expect(imageBuildxArgs({ ...inputs, noCache: true })).toContain('--no-cache');
  });
});
