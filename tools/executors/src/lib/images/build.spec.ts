import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
      'buildx', 'build', '--pull', '--output=type=registry,oci-mediatypes=true', '--platform=linux/amd64,linux/arm64', '--provenance=false',
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

describe('the stand-in common/img-check.sh (against a fake docker client)', () => {
  // The fake engine answers each command the script runs inside the image; sqlplus is broken in it.
  const fake = `#!/bin/bash
echo "WARNING: IPv4 forwarding is disabled. Networking will not work." >&2
cmd="\${@: -1}"
cmd="\${cmd% 2>&1}"
case "$cmd" in
  *LAVA_VERSION*) printf 8.2.0 ;;
  "uname -m") echo aarch64 ;;
  "lava-worker --version") echo "lava 8.2.0" ;;
  "python3 --version") echo "Python 3.13.5" ;;
  "openssl version") echo "OpenSSL 3.5.1 1 Jul 2025" ;;
  "sqlplus -V") echo "sqlplus: not found"; exit 127 ;;
  *) echo "$cmd 1.0" ;;
esac
`;
  const script = resolve(ROOT, 'packages/docker/common/img-check.sh');
  const runCheck = (image: string, platform = 'linux/arm64') => {
    const bin = mkdtempSync(join(tmpdir(), 'fake-docker-'));
    writeFileSync(join(bin, 'docker'), fake);
    chmodSync(join(bin, 'docker'), 0o755);
    try {
      return { stdout: execFileSync('bash', [script, '-p', platform, image], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } }), status: 0 };
    } catch (error) {
      return { stdout: String((error as { stdout?: string }).stdout), status: (error as { status: number }).status };
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  };

  it('passes a good base image, one line per check, the version read from the image', () => {
    const { stdout, status } = runCheck('localhost:5001/lava/amzn2023/base');
    expect(status).toBe(0);
    expect(stdout).toContain('✔ arch: aarch64');
    expect(stdout).toContain('✔ lava: lava 8.2.0');
    expect(stdout).not.toContain('sqlplus');
    expect(stdout.trim().split('\n').at(-1)).toBe('localhost:5001/lava/amzn2023/base (linux/arm64): all checks passed');
  });

  it('fails a full image on its broken client and on the wrong arch, naming each', () => {
    const { stdout, status } = runCheck('localhost:5001/lava/amzn2023/full', 'linux/amd64');
    expect(status).toBe(2);
    expect(stdout).toContain('✖ arch: expected "x86_64", got "aarch64"');
    expect(stdout).toContain('✖ sqlplus: exit 127: sqlplus: not found');
    expect(stdout).toContain('✔ psql: psql --version 1.0');
  });

  it('refuses a name that is not a lava image, as the real script does', () => {
    expect(runCheck('localhost:5001/other/thing').status).toBe(2);
  });
});
