// The install step of a foreign bundle and a Lambda as a BuildKit build on the two-node builder
// of `engine.sh nodes` (BUILDX_BUILDER=lava-nodes, LAVA_INSTALL_RUNNER unset: auto): the arm64
// node must do the work, and the archive must be byte for byte the one docker run (under qemu
// here) makes. Real nx, the fixture builders, a local index on docker's bridge (the nodes use the
// host's network, so they reach it too). Skips, saying why, where buildkitd cannot be had.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, ELF_AARCH64, elfMachine, FIXTURE_BUILDERS, skipDockerTests, startContainerIndex, useFixtureBuilders } from './support/docker';
import { NODES_BUILDER, NODES_DIR, nodeLog, nodesDown, nodesUnavailable, nodesUp } from './support/nodes';
import type { PypiIndex } from './support/pypi-index';
import { runNxAsync } from './support/nx-async';
import { copyWorkspace, type TempWorkspace } from './support/workspace';

const NAMESPACE = 'e2e/nodes/build/lava';
const BUNDLE_TASK = 'worker-bundle:pkg--debian13-py3.13-arm64';

const skip = skipDockerTests();
const noNodes = skip ? undefined : nodesUnavailable();
if (noNodes) console.warn(`skipping the installs on the two-node BuildKit builder: ${noNodes}`);

function untar(archive: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lava-bundle-open-'));
  execFileSync('tar', ['-xjf', archive, '-C', dir]);
  return dir;
}

describe.skipIf(skip || noNodes !== undefined)('foreign bundles and Lambdas installed on a BuildKit node (BUILDX_BUILDER=lava-nodes)', () => {
  let ws: TempWorkspace;
  let index: PypiIndex;
  let env: Record<string, string | undefined>;
  let onNodes: Record<string, string | undefined>;
  let version: string;
  const nx = (args: string[], e: Record<string, string | undefined>) => runNxAsync(ws.root, args, e);
  const bundle = () => ws.path(`dist/pkg/debian13/lava-${version}-debian13-py3.13-aarch64.tar.bz2`);
  const zip = () => ws.path(`dist/lambda/stop-${version}.zip`);
  /** What each node's log gained while `during` ran. */
  const logsDuring = async (during: () => Promise<void>) => {
    const before = { amd64: nodeLog('amd64').length, arm64: nodeLog('arm64').length };
    await during();
    return { amd64: nodeLog('amd64').slice(before.amd64), arm64: nodeLog('arm64').slice(before.arm64) };
  };

  beforeAll(async () => {
    ws = copyWorkspace({ prefix: 'lava-node-installs' });
    useFixtureBuilders(ws, FIXTURE_BUILDERS, NAMESPACE);
    version = JSON.parse(readFileSync(ws.path('packages/lava/lava/VERSION.json'), 'utf8')).__version_num__;
    ({ index, env } = await startContainerIndex(ws));
    env = { ...env, BUILDX_BUILDER: undefined, LAVA_INSTALL_RUNNER: undefined };
    writeFileSync(ws.path('packages/lava/requirements.txt'), 'tinyelf==1.0\n');
    writeFileSync(ws.path('packages/lava/requirements-extra.txt'), 'tinypure==1.0\n');
    writeFileSync(ws.path('packages/lambda/stop/requirements.txt'), 'tinypure==1.0\ntinyelf==1.0\n');
    const up = nodesUp();
    expect(up.status, up.stderr).toBe(0);
    onNodes = { ...env, BUILDX_BUILDER: NODES_BUILDER };
  });
  afterAll(async () => {
    nodesDown();
    await index?.close();
    ws?.remove();
  });

  it('builds the arm64 bundle on the arm64 node, byte for byte the bundle of docker run under qemu', async () => {
    const viaDocker = await nx(['run', BUNDLE_TASK], env);
    expect(viaDocker.exitCode, viaDocker.output).toBe(0);
    expect(viaDocker.output).toContain('installed with docker run here');
    const fromDocker = readFileSync(bundle());

    // Only the bundle again (its builder stays the pinned image), with BUILDX_BUILDER naming the nodes.
    let viaNodes!: Awaited<ReturnType<typeof nx>>;
    const logs = await logsDuring(async () => {
      viaNodes = await nx(['run', BUNDLE_TASK, '--skip-nx-cache', '--excludeTaskDependencies'], onNodes);
    });
    expect(viaNodes.exitCode, viaNodes.output).toBe(0);
    expect(viaNodes.output).toContain(`installed on the BuildKit builder ${NODES_BUILDER} (node ${NODES_BUILDER}-arm64)`);
    expect(readFileSync(bundle()).equals(fromDocker), 'the two bundles are byte-identical').toBe(true);

    // The arm64 daemon ran pip (buildkitd --debug logs each command it starts); the amd64 one did not.
    // (Whichever installer the job runs: `python3 -m pip install` or uv's `pip install`.)
    expect(logs.arm64).toMatch(/\[job \d+\/\d+\] RUN --mount=type=bind,from=lava-build,target=\/lava\/build [^\n]*--mount=type=secret,id=/);
    expect(logs.arm64).toMatch(/creating \S+ \[\/bin\/sh -c for n in [^\]]* pip install/);
    expect(logs.amd64).not.toMatch(/pip install/);
    expect(logs.arm64).not.toContain(env.PIP_INDEX_URL);

    const dir = untar(bundle());
    try {
      expect(elfMachine(readFileSync(join(dir, 'pylib/tinyelf/_native.so')))).toBe(ELF_AARCH64);
      expect(readFileSync(join(dir, 'pylib/tinyelf-1.0.dist-info/WHEEL'), 'utf8')).toContain('Tag: py3-none-manylinux_2_17_aarch64');
      expect(readFileSync(join(dir, 'pylib/tinypure/__init__.py'), 'utf8')).toBe('VALUE = 1\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds a Lambda zip on the arm64 node, byte for byte the zip of docker run', async () => {
    const viaDocker = await nx(['run', 'lambda-stop:build'], env);
    expect(viaDocker.exitCode, viaDocker.output).toBe(0);
    const fromDocker = readFileSync(zip());
    let viaNodes!: Awaited<ReturnType<typeof nx>>;
    const logs = await logsDuring(async () => {
      viaNodes = await nx(['run', 'lambda-stop:build', '--skip-nx-cache', '--excludeTaskDependencies'], onNodes);
    });
    expect(viaNodes.exitCode, viaNodes.output).toBe(0);
    expect(viaNodes.output).toContain(`installed on the BuildKit builder ${NODES_BUILDER} (node ${NODES_BUILDER}-arm64)`);
    expect(logs.arm64).toMatch(/creating \S+ \[\/bin\/sh -c for n in [^\]]* pip install/);
    expect(readFileSync(zip()).equals(fromDocker), 'the two zips are byte-identical').toBe(true);
  });

  it('fails in one line naming the builder when it does not exist, or does not answer, leaving no bundle', async () => {
    rmSync(ws.path('dist/pkg'), { recursive: true, force: true });
    const missing = await nx(['run', BUNDLE_TASK, '--skip-nx-cache', '--excludeTaskDependencies'], { ...env, BUILDX_BUILDER: 'lava-e2e-no-such-builder' });
    expect(missing.exitCode).not.toBe(0);
    expect(missing.output).toContain(
      `✖ ${BUNDLE_TASK}: the buildx builder lava-e2e-no-such-builder (BUILDX_BUILDER) does not exist; run: docker buildx ls (to see which exist), or unset BUILDX_BUILDER`,
    );

    // A node whose daemon is gone: a remote-driver builder on a socket nobody listens on.
    const gone = 'lava-e2e-gone-node';
    docker(['buildx', 'create', '--name', gone, '--driver', 'remote', '--platform', 'linux/arm64', `unix://${join(NODES_DIR, 'run', 'nobody-here.sock')}`]);
    try {
      const dead = await nx(['run', BUNDLE_TASK, '--skip-nx-cache', '--excludeTaskDependencies'], { ...env, BUILDX_BUILDER: gone });
      expect(dead.exitCode).not.toBe(0);
      expect(dead.output).toContain(
        `✖ ${BUNDLE_TASK}: the buildx builder ${gone} (BUILDX_BUILDER) does not answer; run: docker buildx inspect --bootstrap ${gone} (is every node's daemon up?), or LAVA_INSTALL_RUNNER=docker to run the install here`,
      );
    } finally {
      docker(['buildx', 'rm', gone]);
    }
    expect(existsSync(bundle())).toBe(false);
  });
});
