// Foreign worker bundles for real: pip in the (fixture) debian13-py3.13 builder on linux/arm64
// under qemu and on linux/amd64, against a local index on docker's bridge; archives opened.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ELF_AARCH64, ELF_X86_64, elfMachine, FIXTURE_BUILDERS, skipDockerTests, startContainerIndex, useFixtureBuilders,
} from './support/docker';
import type { PypiIndex } from './support/pypi-index';
import { runNxAsync } from './support/nx-async';
import { cacheStatus, copyWorkspace, type TempWorkspace } from './support/workspace';

const skip = skipDockerTests();

function untar(archive: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lava-bundle-open-'));
  execFileSync('tar', ['-xjf', archive, '-C', dir]);
  return dir;
}

describe.skipIf(skip)('worker-bundle:pkg--<runtime>-<arch> (real docker, qemu arm64, local index)', () => {
  let ws: TempWorkspace;
  let index: PypiIndex;
  let env: Record<string, string | undefined>;
  let version: string;
  // The index serves from this process: nx runs without blocking its event loop.
  const nx = (args: string[], e: Record<string, string | undefined>) => runNxAsync(ws.root, args, e);
  const bundle = (arch: string) => ws.path(`dist/pkg/debian13/lava-${version}-debian13-py3.13-${arch}.tar.bz2`);

  beforeAll(async () => {
    ws = copyWorkspace({ prefix: 'lava-foreign' });
    useFixtureBuilders(ws);
    version = JSON.parse(readFileSync(ws.path('packages/lava/lava/VERSION.json'), 'utf8')).__version_num__;
    ({ index, env } = await startContainerIndex(ws));
    // The real pins need PyPI, which is unreachable here.
    writeFileSync(ws.path('packages/lava/requirements.txt'), 'tinyelf==1.0\n');
    writeFileSync(ws.path('packages/lava/requirements-extra.txt'), 'tinypure==1.0\n');
  });
  afterAll(async () => {
    await index?.close();
    ws?.remove();
  });

  it('depends on exactly one builder: its own', async () => {
    const graph = JSON.parse((await nx(['run', 'worker-bundle:pkg--debian13-py3.13-arm64', '--graph=stdout'], env)).stdout);
    const builders = Object.keys(graph.tasks.tasks).filter((t) => t.startsWith('builder-'));
    expect(builders).toEqual(['builder-debian13-py3.13:build']);
  });

  it.each([
    ['arm64', 'aarch64', ELF_AARCH64],
    ['amd64', 'x86_64', ELF_X86_64],
  ])('builds the %s bundle named for the container, with pylib/ holding the %s wheel', async (short, arch, machine) => {
    const result = await nx(['run', `worker-bundle:pkg--debian13-py3.13-${short}`], env);
    expect(result.exitCode, result.output).toBe(0);
    expect(statSync(bundle(arch)).uid).toBe(process.getuid?.());
    const dir = untar(bundle(arch));
    try {
      expect(elfMachine(readFileSync(join(dir, 'pylib/tinyelf/_native.so')))).toBe(machine);
      expect(readFileSync(join(dir, 'pylib/tinypure/__init__.py'), 'utf8')).toBe('VALUE = 1\n');
      expect(readFileSync(join(dir, 'lava/VERSION.json'), 'utf8')).toContain(version);
      expect(statSync(join(dir, 'install.sh')).isFile()).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is a cache hit the second time; an edit to another builder leaves it a hit', async () => {
    appendFileSync(ws.path(`${FIXTURE_BUILDERS}/rocky9-py3.9.Dockerfile`), 'LABEL org.lava.test="other builder"\n');
    const result = await nx(['run', 'worker-bundle:pkg--debian13-py3.13-arm64'], env);
    expect(result.exitCode, result.output).toBe(0);
    expect(cacheStatus(result.output, 'worker-bundle:pkg--debian13-py3.13-arm64')).toBe('local');
    expect(result.output).not.toContain('builder-rocky9-py3.9');
  });

  it('is reached through the front door pkg --configuration=<runtime>-<arch>, restoring from the cache', async () => {
    rmSync(ws.path('dist/pkg'), { recursive: true, force: true });
    const result = await nx(['run', 'worker-bundle:pkg', '--configuration=debian13-py3.13-arm64'], env);
    expect(result.exitCode, result.output).toBe(0);
    expect(cacheStatus(result.output, 'worker-bundle:pkg--debian13-py3.13-arm64')).toBe('local');
    expect(statSync(bundle('aarch64')).isFile()).toBe(true);
    expect(() => statSync(bundle('x86_64'))).toThrow();
  });

  it('fails in one line when a builder is not the runtime it is named for, leaving no bundle', async () => {
    const result = await nx(['run', 'worker-bundle:pkg--amzn2023-py3.13-amd64'], env);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain(
      '✖ worker-bundle:pkg--amzn2023-py3.13-amd64: builder amzn2023-py3.13 runs debian13-py3.13, not amzn2023-py3.13, so its bundle would be misnamed; run: fix its Dockerfile, then npx nx run builder-amzn2023-py3.13:build (or, if it is right, name its runtime in nx.json\'s builders plugin options: "runtimes": {"amzn2023-py3.13": "debian13-py3.13"})',
    );
    expect(() => statSync(ws.path(`dist/pkg/amzn2023/lava-${version}-amzn2023-py3.13-x86_64.tar.bz2`))).toThrow();
  });
});
