// A builder image built on a real two-node BuildKit builder: `engine.sh nodes up` starts two
// buildkitd daemons (one linux/amd64, one linux/arm64 through qemu) joined as the buildx builder
// lava-nodes, and real nx builds with BUILDX_BUILDER=lava-nodes. Each node must build its own
// platform and buildx must push one index with both. Without buildkitd (no Go, or no Go module
// proxy to build it from) the file skips and says why: that is this machine's limit, not a defect.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, engineEnv, FIXTURE_BUILDERS, registryManifest, skipDockerTests, useFixtureBuilders } from './support/docker';
import { NODES_BUILDER as BUILDER, NODES_DIR, nodeLog, nodesDown, nodesUnavailable, nodesUp } from './support/nodes';
import { copyWorkspace, type TempWorkspace } from './support/workspace';
import { withRegistryLogin } from '../tools/executors/src/lib/docker/login-config';

const NAMESPACE = 'e2e/nodes/build/lava';

const skip = skipDockerTests();
const noNodes = skip ? undefined : nodesUnavailable();
if (noNodes) console.warn(`skipping the two-node BuildKit builder tests: ${noNodes}`);

describe.skipIf(skip || noNodes !== undefined)('builder-<runtime>:build on a two-node BuildKit builder (BUILDX_BUILDER=lava-nodes)', () => {
  let ws: TempWorkspace;
  let env: Record<string, string>;

  beforeAll(() => {
    ws = copyWorkspace({ prefix: 'lava-nodes' });
    useFixtureBuilders(ws, FIXTURE_BUILDERS, NAMESPACE);
    const up = nodesUp();
    expect(up.status, up.stderr).toBe(0);
    expect(up.stdout.trim()).toBe(`export BUILDX_BUILDER=${BUILDER}`);
    env = { ...engineEnv(), BUILDX_BUILDER: BUILDER };
  });
  // Even when a test fails: daemons stopped, builder removed, state gone.
  afterAll(() => {
    nodesDown();
    ws?.remove();
  });

  it('is one buildx builder with a node per platform, each its own daemon', () => {
    const inspect = docker(['buildx', 'inspect', BUILDER]);
    expect(inspect).toMatch(/^Driver:\s+remote$/m);
    expect(inspect).toMatch(new RegExp(`Endpoint:\\s+unix://${NODES_DIR}/run/amd64\\.sock[\\s\\S]*?Platforms:\\s+linux/amd64\\*`));
    expect(inspect).toMatch(new RegExp(`Endpoint:\\s+unix://${NODES_DIR}/run/arm64\\.sock[\\s\\S]*?Platforms:\\s+linux/arm64\\*`));
  });

  it('builds both platforms through real nx, each on its own node, and pushes one index', async () => {
    const result = ws.nx(['run', 'builder-amzn2023-py3.13:build', '--skip-nx-cache'], env);
    expect(result.exitCode, result.output).toBe(0);
    const pinned = readFileSync(ws.path('dist/builders/amzn2023-py3.13/image.digest'), 'utf8').trim();
    const index = await registryManifest(`${NAMESPACE}/amzn2023-py3.13`, 'latest');
    expect(index?.digest).toBe(pinned.split('@')[1]);
    const platforms = (index?.body.manifests ?? []).map((m) => `${m.platform.os}/${m.platform.architecture}`).sort();
    expect(platforms).toEqual(['linux/amd64', 'linux/arm64']);
    // Each daemon ran the Dockerfile's RUN step for its own platform only: buildkitd --debug names
    // each step it runs as `[<platform> <stage> <n>/<m>] RUN …` and logs the command it starts.
    for (const [arch, other] of [['amd64', 'arm64'], ['arm64', 'amd64']]) {
      const log = nodeLog(arch as 'amd64' | 'arm64');
      expect(log, `${arch} node log`).toMatch(new RegExp(`\\[linux/${arch}( [\\w-]+)? \\d+/\\d+\\] RUN --mount=type=secret,id=PIP_INDEX_URL`));
      expect(log, `${arch} node log`).toMatch(/uname -m > \/etc\/lava-builder-arch/);
      expect(log, `${arch} node log`).not.toMatch(new RegExp(`\\[linux/${other}[ \\]]`));
    }
    // And the arm64 image runs aarch64 code.
    expect(docker(['run', '--rm', '--platform', 'linux/arm64', pinned, 'cat', '/etc/lava-builder-arch']).trim()).toBe('aarch64');
  });

  it('is found under the throwaway registry login of a push: imagetools copies the index on it', async () => {
    const pinned = readFileSync(ws.path('dist/builders/amzn2023-py3.13/image.digest'), 'utf8').trim();
    const engineConfig = engineEnv().DOCKER_CONFIG ?? join(homedir(), '.docker');
    const copied = await withRegistryLogin('localhost:5001', Buffer.from('nobody:nothing').toString('base64'), async (login) =>
      spawnSync('docker', ['buildx', 'imagetools', 'create', '--tag', `localhost:5001/${NAMESPACE}/amzn2023-py3.13:copied`, pinned], {
        env: { ...process.env, ...env, ...login },
        encoding: 'utf8',
      }), engineConfig);
    expect(copied.status, copied.stderr).toBe(0);
    const index = await registryManifest(`${NAMESPACE}/amzn2023-py3.13`, 'copied');
    expect(index?.digest).toBe(pinned.split('@')[1]);
  });

  it('nodes down leaves nothing behind: builder removed, daemons stopped, sockets, state and logs gone', () => {
    const pids = ['amd64', 'arm64'].map((arch) => Number(readFileSync(join(NODES_DIR, 'run', `${arch}.pid`), 'utf8')));
    const down = nodesDown();
    expect(down.status, down.stderr).toBe(0);
    expect(spawnSync('docker', ['buildx', 'inspect', BUILDER], { env: { ...process.env, ...engineEnv() } }).status).not.toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0), `buildkitd ${pid}`).toThrow();
    for (const dir of ['state', 'run', 'log', 'buildkitd.toml']) expect(existsSync(join(NODES_DIR, dir)), dir).toBe(false);
  });
});
