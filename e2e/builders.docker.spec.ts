// Builder images for real: the engine, buildx multi-platform push, the registry and qemu arm64.
import { appendFileSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, engineEnv, FIXTURE_BUILDERS, FIXTURE_NAMESPACE, registryManifest, skipDockerTests, useFixtureBuilders } from './support/docker';
import { cacheStatus, copyWorkspace, type TempWorkspace } from './support/workspace';

const skip = skipDockerTests();

describe.skipIf(skip)('builder-<runtime>:build (real docker, fixture builders)', () => {
  let ws: TempWorkspace;
  let env: Record<string, string>;
  const digestFile = 'dist/builders/amzn2023-py3.13/image.digest';

  beforeAll(() => {
    ws = copyWorkspace({ prefix: 'lava-builders' });
    useFixtureBuilders(ws);
    env = engineEnv();
  });
  afterAll(() => ws?.remove());

  it('infers one builder per fixture Dockerfile, the deprecated one tagged so', () => {
    const result = ws.nx(['show', 'projects', '--projects', 'builder-*', '--json'], env);
    expect(JSON.parse(result.stdout).sort()).toEqual(['builder-amzn2023-py3.13', 'builder-debian13-py3.13', 'builder-rocky9-py3.9']);
    const rocky = JSON.parse(ws.nx(['show', 'project', 'builder-rocky9-py3.9', '--json'], env).stdout);
    expect(rocky.tags).toContain('deprecated');
    expect(rocky.root).toBe(`${FIXTURE_BUILDERS}/rocky9-py3.9`);
  });

  it('pushes a linux/amd64 + linux/arm64 index and records its digest, owned by the invoking user', async () => {
    const result = ws.nx(['run', 'builder-amzn2023-py3.13:build'], env);
    expect(result.exitCode, result.output).toBe(0);
    // The engine's registry already answers on :5001: registry:serve uses it instead of fighting it.
    expect(result.output).toContain('A registry already answers at http://127.0.0.1:5001: using it');
    const pinned = readFileSync(ws.path(digestFile), 'utf8').trim();
    expect(pinned).toMatch(/^localhost:5001\/e2e\/build\/lava\/amzn2023-py3\.13@sha256:[0-9a-f]{64}$/);
    const index = await registryManifest(`${FIXTURE_NAMESPACE}/amzn2023-py3.13`, 'latest');
    expect(index?.digest).toBe(pinned.split('@')[1]);
    const platforms = (index?.body.manifests ?? []).map((m) => `${m.platform.os}/${m.platform.architecture}`).sort();
    expect(platforms).toEqual(['linux/amd64', 'linux/arm64']);
    expect(statSync(ws.path(digestFile)).uid).toBe(process.getuid?.());
  });

  it('gives an arm64 image that really runs aarch64 code under qemu', () => {
    const pinned = readFileSync(ws.path(digestFile), 'utf8').trim();
    expect(docker(['run', '--rm', '--platform', 'linux/arm64', pinned, 'sh', '-c', 'cat /etc/lava-builder-arch; uname -m']).trim()).toBe('aarch64\naarch64');
    expect(docker(['run', '--rm', '--platform', 'linux/amd64', pinned, 'uname', '-m']).trim()).toBe('x86_64');
  });

  it('is a cache hit the second time, restoring the digest file', () => {
    const result = ws.nx(['run', 'builder-amzn2023-py3.13:build'], env);
    expect(result.exitCode, result.output).toBe(0);
    expect(cacheStatus(result.output, 'builder-amzn2023-py3.13:build')).toBe('local');
  });

  it('rebuilds only the builder whose Dockerfile changed', () => {
    expect(ws.nx(['run', 'builder-rocky9-py3.9:build'], env).exitCode).toBe(0);
    appendFileSync(ws.path(`${FIXTURE_BUILDERS}/amzn2023-py3.13.Dockerfile`), 'LABEL org.lava.test="edited"\n');
    const result = ws.nx(['run-many', '-t', 'build', '-p', 'builder-*'], env);
    expect(result.exitCode, result.output).toBe(0);
    expect(cacheStatus(result.output, 'builder-amzn2023-py3.13:build')).toBe('miss');
    expect(cacheStatus(result.output, 'builder-rocky9-py3.9:build')).toBe('local');
  });

  it('registry:images lists the pushed builders', () => {
    const result = ws.nx(['run', 'registry:images'], env);
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toMatch(/localhost:5001\/e2e\/build\/lava\/amzn2023-py3\.13\s+latest/);
    expect(result.output).toMatch(/localhost:5001\/e2e\/build\/lava\/rocky9-py3\.9\s+latest/);
  });

  it('fails in one line naming the fix when no docker engine answers, leaving nothing in dist', () => {
    rmSync(ws.path('dist/builders/rocky9-py3.9'), { recursive: true, force: true });
    const result = ws.nx(['run', 'builder-rocky9-py3.9:build', '--skip-nx-cache'], { ...env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(result.exitCode).not.toBe(0);
    expect(existsSync(ws.path('dist/builders/rocky9-py3.9'))).toBe(false);
    expect(result.output).toMatch(/✖ builder-rocky9-py3\.9:build: no docker engine answers at DOCKER_HOST=unix:\/\/\/nonexistent\/docker\.sock; run: eval "\$\(tools\/docker-engine\/engine\.sh up\)"/);
  });
});
