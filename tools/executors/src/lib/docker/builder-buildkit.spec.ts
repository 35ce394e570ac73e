import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { platformOf } from '../core/platform';
import { isBuildError } from '../core/errors';
import { tempDir } from '../../testing/temp-dir';
import { jobRunArgs, OUTPUT_MOUNT, WORKSPACE_MOUNT, type ContainerJob } from './builder-container';
import { installJob } from './install-job';
import {
  buildkitBuildArgs, buildkitCommand, buildkitDockerfile, jobOutput, parseBuildxInspect, pickInstallRunner, stageMounts, type BuilderInfo,
} from './builder-buildkit';
import { installInContainer } from './builder-run';

const ARM = platformOf('arm64');
const AMD = platformOf('amd64');
const IMAGE = 'localhost:5001/build/lava/amzn2023-py3.13@sha256:abc';

const INSPECT = `Name:          lava-nodes
Driver:        remote
Last Activity: 2026-11-30 16:38:19 +0000 UTC

Nodes:
Name:             lava-nodes-amd64
Endpoint:         unix:///var/cache/lava-build/buildkit/run/amd64.sock
Status:           running
BuildKit version: v0.17.3
Platforms:        linux/amd64*, linux/amd64/v2, linux/arm64
Labels:
 org.mobyproject.buildkit.worker.executor:         oci

Name:             lava-nodes-arm64
Endpoint:         unix:///var/cache/lava-build/buildkit/run/arm64.sock
Status:           running
BuildKit version: v0.17.3
Platforms:        linux/arm64*, linux/amd64
`;

const USER = { uid: 1000, gid: 1000 };

function job(overrides: Partial<ContainerJob> = {}): ContainerJob {
  return {
    image: IMAGE,
    platform: ARM,
    workdir: WORKSPACE_MOUNT,
    mounts: [{ source: '/ws', target: WORKSPACE_MOUNT, readOnly: true }],
    env: { HOME: '/tmp', PIP_NO_CACHE_DIR: '1' },
    secretEnv: { PIP_INDEX_URL: 'https://user:s3cret@index.example/simple' },
    command: ['python3', '-m', 'pip', 'install', '--target', OUTPUT_MOUNT, '--requirement', `${WORKSPACE_MOUNT}/packages/lava/requirements.txt`],
    output: { source: '/scratch/pylib', target: OUTPUT_MOUNT },
    ...overrides,
  };
}

describe('parseBuildxInspect', () => {
  it('reads each node, its status and its platforms, its own first and the creation marks dropped', () => {
    expect(parseBuildxInspect(INSPECT)).toEqual({
      name: 'lava-nodes',
      driver: 'remote',
      nodes: [
        { name: 'lava-nodes-amd64', status: 'running', platforms: ['linux/amd64', 'linux/amd64/v2', 'linux/arm64'] },
        { name: 'lava-nodes-arm64', status: 'running', platforms: ['linux/arm64', 'linux/amd64'] },
      ],
    });
  });
});

describe('pickInstallRunner', () => {
  const builder = parseBuildxInspect(INSPECT);
  const emulatingOnly: BuilderInfo = { name: 'default', driver: 'docker', nodes: [{ name: 'default', status: 'running', platforms: ['linux/amd64', 'linux/arm64'] }] };
  const pick = (platform = ARM, b: BuilderInfo | undefined = builder, env: NodeJS.ProcessEnv = {}) => pickInstallRunner(platform, AMD, b, env);
  const failure = (f: () => unknown) => {
    try {
      f();
    } catch (error) {
      if (isBuildError(error)) return error.message;
      throw error;
    }
    throw new Error('did not fail');
  };

  it('auto: docker run without BUILDX_BUILDER, and for the host platform, without asking buildx', () => {
    expect(pick(ARM, undefined)).toEqual({ kind: 'docker' });
    expect(pick(AMD, undefined, { BUILDX_BUILDER: 'lava-nodes' })).toEqual({ kind: 'docker' });
  });
  it('auto: a foreign platform goes to the node whose own platform it is', () => {
    expect(pick(ARM, builder, { BUILDX_BUILDER: 'lava-nodes' })).toEqual({ kind: 'buildkit', builder: 'lava-nodes', node: 'lava-nodes-arm64', native: true });
  });
  it('auto: a builder that would only emulate it leaves it to docker run, saying why', () => {
    expect(pick(ARM, emulatingOnly, { BUILDX_BUILDER: 'default' })).toEqual({ kind: 'docker', why: 'the buildx builder default (BUILDX_BUILDER) has no linux/arm64 node of its own' });
  });
  it('buildkit: takes an emulating node when no node is native, and any platform', () => {
    expect(pick(ARM, emulatingOnly, { LAVA_INSTALL_RUNNER: 'buildkit' })).toEqual({ kind: 'buildkit', builder: 'default', node: 'default', native: false });
    expect(pick(AMD, builder, { LAVA_INSTALL_RUNNER: 'buildkit' })).toMatchObject({ kind: 'buildkit', node: 'lava-nodes-amd64' });
  });
  it('docker: always docker run', () => {
    expect(pick(ARM, undefined, { LAVA_INSTALL_RUNNER: 'docker', BUILDX_BUILDER: 'lava-nodes' })).toEqual({ kind: 'docker' });
  });
  it('fails in one line naming the builder when no node offers the platform, or its node is down', () => {
    const amdOnly: BuilderInfo = { name: 'amd', driver: 'remote', nodes: [{ name: 'amd0', status: 'running', platforms: ['linux/amd64'] }] };
    expect(failure(() => pick(ARM, amdOnly, { LAVA_INSTALL_RUNNER: 'buildkit', BUILDX_BUILDER: 'amd' }))).toBe(
      'the buildx builder amd (BUILDX_BUILDER) has no node for linux/arm64; run: docker buildx create --name amd --append --platform linux/arm64 ssh://<a arm64 machine>, or LAVA_INSTALL_RUNNER=docker',
    );
    const down: BuilderInfo = { ...builder, nodes: [builder.nodes[0], { ...builder.nodes[1], status: 'inactive' }] };
    expect(failure(() => pick(ARM, down, { BUILDX_BUILDER: 'lava-nodes' }))).toBe(
      "the buildx builder lava-nodes (BUILDX_BUILDER): its node lava-nodes-arm64 for linux/arm64 is inactive; run: docker buildx inspect --bootstrap lava-nodes (start that node's daemon), or LAVA_INSTALL_RUNNER=docker to run the install here",
    );
  });
  it('refuses a setting it does not know', () => {
    expect(failure(() => pick(ARM, builder, { LAVA_INSTALL_RUNNER: 'qemu' }))).toBe('LAVA_INSTALL_RUNNER=qemu is not a runner; it is one of auto, docker, buildkit; run: unset LAVA_INSTALL_RUNNER (auto)');
  });
});

describe('buildkitDockerfile', () => {
  it('is FROM the pinned image, the command run once as the user with its mounts, secrets and environment, the output alone exported', () => {
    const staged = [{ mount: job().mounts[0], context: '/scratch/contexts/lava-build' }];
    expect(buildkitDockerfile(job(), staged, USER).split('\n')).toEqual([
      '# A builder-container job as a BuildKit build (tools/executors lib/docker/builder-buildkit.ts).',
      `FROM ${IMAGE} AS job`,
      'USER 1000:1000',
      'WORKDIR /lava/out',
      'WORKDIR /lava/build',
      'ENV HOME="/tmp" PIP_NO_CACHE_DIR="1"',
      'RUN --mount=type=bind,from=lava-build,target=/lava/build --mount=type=secret,id=PIP_INDEX_URL,uid=1000,gid=1000 ' +
        JSON.stringify([
          '/bin/sh', '-c', 'for n in PIP_INDEX_URL; do export "$n=$(cat "/run/secrets/$n")"; done; exec "$@"', 'sh',
          'python3', '-m', 'pip', 'install', '--target', '/lava/out', '--requirement', '/lava/build/packages/lava/requirements.txt',
        ]),
      'FROM scratch',
      'COPY --from=job /lava/out /',
      '',
    ]);
    expect(buildkitDockerfile(job(), staged, USER)).not.toContain('s3cret');
  });

  it("mounts a host file (uv's binary) from its own context by name, a writable mount (uv's cache) as a BuildKit cache; no secrets, no wrapper", () => {
    const j = job({
      secretEnv: {},
      env: { NOTE: 'a "quoted" $value\\' },
      mounts: [
        { source: '/var/cache/lava-build/uv/bin/0.9.0/aarch64/uv', target: '/lava/uv/uv', readOnly: true },
        { source: '/var/cache/lava-build/uv/cache/amzn2023-py3.13-aarch64', target: '/lava/uv-cache', readOnly: false },
      ],
      command: ['/lava/uv/uv', 'pip', 'install'],
    });
    const text = buildkitDockerfile(j, [{ mount: j.mounts[0], context: '/scratch/contexts/lava-uv-uv', source: 'uv' }, { mount: j.mounts[1] }], USER);
    expect(text).toContain('ENV NOTE="a \\"quoted\\" \\$value\\\\"');
    expect(text).toContain(
      'RUN --mount=type=bind,from=lava-uv-uv,source=uv,target=/lava/uv/uv --mount=type=cache,id=lava-lava-uv-cache,target=/lava/uv-cache,uid=1000,gid=1000 ["/lava/uv/uv","pip","install"]',
    );
  });
});

describe('buildkitBuildArgs', () => {
  it('builds for the job platform on the builder in use, without cache or attestations, secrets by name, the output exported here', () => {
    const j = job();
    const args = buildkitBuildArgs(j, { dockerfile: '/s/Dockerfile', context: '/s/context', mounts: [{ mount: j.mounts[0], context: '/s/contexts/lava-build' }] });
    expect(args).toEqual([
      'buildx', 'build', '--progress=plain', '--no-cache', '--provenance=false', '--sbom=false', '--platform=linux/arm64',
      '--output', 'type=local,dest=/scratch/pylib',
      '-f', '/s/Dockerfile',
      '--build-context', 'lava-build=/s/contexts/lava-build',
      '--secret', 'id=PIP_INDEX_URL,env=PIP_INDEX_URL',
      '/s/context',
    ]);
    expect(args.join(' ')).not.toContain('s3cret');
    // The builder comes from BUILDX_BUILDER, which buildx reads itself, as for every other buildx call.
    expect(args).not.toContain('--builder');
  });
});

describe('the job description', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('is what docker run runs: the same image, mounts, environment and command, the secrets by name', () => {
    vi.stubEnv('PIP_TRUSTED_HOST', 'index.example');
    const j = installJob({ workspace: '/ws', image: IMAGE, platform: ARM, builder: 'b', installer: 'pip', requirements: 'r.txt', output: '/out', indexUrl: 'https://u:s3cret@index.example/simple' });
    expect(j.secretEnv).toEqual({ PIP_INDEX_URL: 'https://u:s3cret@index.example/simple', PIP_TRUSTED_HOST: 'index.example' });
    const args = jobRunArgs(j);
    expect(args.slice(args.indexOf('--platform'), args.indexOf('--platform') + 4)).toEqual(['--platform', 'linux/arm64', IMAGE, 'python3']);
    expect(args.join(' ')).toContain(`-v /ws:${WORKSPACE_MOUNT}:ro -v /out:${OUTPUT_MOUNT}`);
    expect(args.join(' ')).toContain('-e PIP_INDEX_URL -e PIP_TRUSTED_HOST');
    expect(args).toContain(`${WORKSPACE_MOUNT}/r.txt`);
    expect(args.join(' ')).not.toContain('s3cret');
  });
});

describe('stageMounts and buildkitCommand', () => {
  it('sends only the files the job reads of the workspace, readable whatever the umask, and writes the Dockerfile beside them', async () => {
    const ws = tempDir('buildkit-ws-');
    const scratch = tempDir('buildkit-scratch-');
    await mkdir(join(ws, 'packages/lava'), { recursive: true });
    await writeFile(join(ws, 'packages/lava/requirements.txt'), 'six==1.16.0\n');
    await chmod(join(ws, 'packages/lava/requirements.txt'), 0o600);
    await writeFile(join(ws, 'secret.txt'), 'not for the node\n');
    const j = job({ mounts: [{ source: ws, target: WORKSPACE_MOUNT, readOnly: true }] });
    const sent = { [WORKSPACE_MOUNT]: ['packages/lava/requirements.txt'] };
    const staged = await stageMounts(j, scratch, sent);
    expect(staged).toEqual([{ mount: j.mounts[0], context: join(scratch, 'contexts/lava-build') }]);
    expect(await readFile(join(scratch, 'contexts/lava-build/packages/lava/requirements.txt'), 'utf8')).toBe('six==1.16.0\n');
    expect((await stat(join(scratch, 'contexts/lava-build/packages/lava/requirements.txt'))).mode & 0o777).toBe(0o644);
    await expect(stat(join(scratch, 'contexts/lava-build/secret.txt'))).rejects.toThrow();

    const command = await buildkitCommand(j, scratch, sent);
    expect(command.file).toBe('docker');
    expect(command.args).toContain(`lava-build=${join(scratch, 'contexts/lava-build')}`);
    expect(await readFile(join(scratch, 'Dockerfile'), 'utf8')).toContain(`FROM ${IMAGE} AS job`);
  });
});

describe('stageMounts of other mounts', () => {
  it('stages a file alone in its context, sends a folder without a file list as it is, and sends nothing for a cache', async () => {
    const scratch = tempDir('buildkit-scratch-');
    const host = tempDir('buildkit-host-');
    await writeFile(join(host, 'uv'), '#!/bin/sh\n');
    await chmod(join(host, 'uv'), 0o700);
    const j = job({
      mounts: [
        { source: join(host, 'uv'), target: '/lava/uv/uv', readOnly: true },
        { source: host, target: '/lava/pip/find-links/0', readOnly: true },
        { source: '/nowhere/cache', target: '/lava/uv-cache', readOnly: false },
      ],
    });
    const staged = await stageMounts(j, scratch);
    expect(staged).toEqual([
      { mount: j.mounts[0], context: join(scratch, 'contexts/lava-uv-uv'), source: 'uv' },
      { mount: j.mounts[1], context: host },
      { mount: j.mounts[2] },
    ]);
    expect((await stat(join(scratch, 'contexts/lava-uv-uv/uv'))).mode & 0o777).toBe(0o755);
  });
});

describe('jobOutput', () => {
  const runner = { kind: 'buildkit' as const, builder: 'lava-nodes', node: 'lava-nodes-arm64', native: true };
  it("is the RUN step's own lines when the command failed", () => {
    const printed = [
      '#9 [job 4/4] RUN --mount=type=bind,from=lava-build,target=/lava/build ["python3"]',
      '#9 1.234 ERROR: Could not find a version that satisfies the requirement nosuch==1.0',
      '#9 1.240 ERROR: No matching distribution found for nosuch==1.0',
      '#9 ERROR: process "/bin/sh -c …" did not complete successfully: exit code: 1',
    ].join('\n');
    expect(jobOutput(printed, runner)).toBe('ERROR: Could not find a version that satisfies the requirement nosuch==1.0\nERROR: No matching distribution found for nosuch==1.0');
  });
  it('is a failure of the build itself, naming builder and node, when the command never ran', () => {
    const printed = '#2 [internal] load metadata for localhost:5001/x@sha256:abc\n#2 ERROR: not found\nERROR: failed to solve: localhost:5001/x@sha256:abc: not found\n';
    expect(() => jobOutput(printed, runner)).toThrow(
      'the BuildKit build on lava-nodes (node lava-nodes-arm64) failed before the job ran: failed to solve: localhost:5001/x@sha256:abc: not found; run: docker buildx inspect --bootstrap lava-nodes (every node up, and reaching the registry the image is in?), or LAVA_INSTALL_RUNNER=docker to run it here',
    );
  });
});

describe('installInContainer on BuildKit', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('runs the same pip command as docker run would, as a build, and reads a pip failure through the step prefixes', async () => {
    const bin = tempDir('buildkit-bin-');
    const ws = tempDir('buildkit-ws-');
    await mkdir(join(ws, 'packages/lambda/stop'), { recursive: true });
    await writeFile(join(ws, 'packages/lambda/stop/requirements.txt'), '-r ../common.txt\nnosuch==1.0\n');
    await writeFile(join(ws, 'packages/lambda/common.txt'), 'six\n');
    // A docker client that records its argv and the Dockerfile, then fails as buildx does when RUN fails.
    await writeFile(
      join(bin, 'docker'),
      `#!/bin/sh\nprintf '%s\\n' "$@" > "${bin}/argv"\nfor a; do case "$prev" in -f) cp "$a" "${bin}/Dockerfile"; find "$(dirname "$a")/contexts" -type f | sort > "${bin}/sent";; esac; prev=$a; done\n` +
        `echo '#9 2.5 ERROR: No matching distribution found for nosuch==1.0' >&2\necho '#9 ERROR: process "/bin/sh" did not complete successfully: exit code: 1' >&2\nexit 1\n`,
    );
    await chmod(join(bin, 'docker'), 0o755);
    vi.stubEnv('PATH', `${bin}:${process.env.PATH}`);
    const failed = await installInContainer({
      workspace: ws,
      image: IMAGE,
      platform: ARM,
      builder: 'amzn2023-py3.13',
      installer: 'pip',
      requirements: 'packages/lambda/stop/requirements.txt',
      output: '/out',
      indexUrl: 'https://user:s3cret@127.0.0.1:9/simple',
    }, { kind: 'buildkit', builder: 'lava-nodes', node: 'lava-nodes-arm64', native: true }).catch((e: Error) => e);
    expect(String(failed)).toContain('pip could not get nosuch==1.0 from https://***@127.0.0.1:9/simple');
    expect(String(failed)).not.toContain('s3cret');
    const dockerfile = await readFile(join(bin, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('"python3","-m","pip","install"');
    expect(dockerfile).toContain('"--requirement","/lava/build/packages/lambda/stop/requirements.txt"');
    expect(dockerfile).not.toContain('s3cret');
    const sent = (await readFile(join(bin, 'sent'), 'utf8')).trim().split('\n').map((f) => f.replace(/^.*\/contexts\/lava-build\//, ''));
    expect(sent).toEqual(['packages/lambda/common.txt', 'packages/lambda/stop/requirements.txt']);
    const argv = (await readFile(join(bin, 'argv'), 'utf8')).trim().split('\n');
    expect(argv).toContain('id=PIP_INDEX_URL,env=PIP_INDEX_URL');
    expect(argv.join(' ')).not.toContain('s3cret');
  });
});
