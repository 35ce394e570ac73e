// Foreign worker bundles for real: uv (and pip, on request) in the (fixture) debian13-py3.13
// builder on linux/arm64 under qemu and on linux/amd64, against a local index on docker's bridge
// that also serves uv's own wheels; archives opened, uv's cache watched.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bridgeGateway, ELF_AARCH64, ELF_X86_64, elfMachine, filesUnder, FIXTURE_BUILDERS, skipDockerTests, startContainerIndex, useFixtureBuilders,
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
  let buildCache: string;
  let version: string;
  // The index serves from this process: nx runs without blocking its event loop.
  const nx = (args: string[], e: Record<string, string | undefined>) => runNxAsync(ws.root, args, e);
  const bundle = (arch: string) => ws.path(`dist/pkg/debian13/lava-${version}-debian13-py3.13-${arch}.tar.bz2`);
  const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
  const uvCache = (arch: string) => join(buildCache, 'uv/cache', `debian13-py3.13-${arch}`);
  const wheelFetches = (arch: string) => index.requests().filter((r) => r.method === 'GET' && r.path === `/files/tinyelf-1.0-py3-none-manylinux_2_17_${arch}.whl`).length;
  const built: Record<string, string> = {};

  beforeAll(async () => {
    ws = copyWorkspace({ prefix: 'lava-foreign' });
    useFixtureBuilders(ws);
    version = JSON.parse(readFileSync(ws.path('packages/lava/lava/VERSION.json'), 'utf8')).__version_num__;
    ({ index, env, buildCache } = await startContainerIndex(ws));
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
    built[arch] = sha256(bundle(arch));
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

  it('ran uv inside, fetched through the index for the arch, with a cache of that builder and arch that filled', () => {
    expect(index.requests().filter((r) => r.path.startsWith('/files/uv-')).map((r) => r.path.replace(/^\/files\/uv-[^-]+-py3-none-/, '')).sort()).toEqual([
      'manylinux_2_17_aarch64.manylinux2014_aarch64.musllinux_1_1_aarch64.whl',
      'musllinux_1_1_x86_64.whl',
    ]);
    for (const arch of ['aarch64', 'x86_64']) {
      expect(existsSync(join(buildCache, 'uv/bin'))).toBe(true);
      expect(filesUnder(uvCache(arch)).some((f) => f.includes('tinyelf'))).toBe(true);
      expect(wheelFetches(arch)).toBeGreaterThan(0);
    }
  });

  it('is byte-identical rebuilt with uv’s cache warm, which it reuses (no wheel fetched again); --installer=pip builds the same archive', async () => {
    const fetched = wheelFetches('aarch64');
    const warm = await nx(['run', 'worker-bundle:pkg--debian13-py3.13-arm64', '--skip-nx-cache'], env);
    expect(warm.exitCode, warm.output).toBe(0);
    expect(warm.output).toMatch(/Installed 2 packages/);
    expect(wheelFetches('aarch64')).toBe(fetched);
    expect(sha256(bundle('aarch64'))).toBe(built.aarch64);
    const pip = await nx(['run', 'worker-bundle:pkg--debian13-py3.13-arm64', '--skip-nx-cache', '--installer=pip'], env);
    expect(pip.exitCode, pip.output).toBe(0);
    expect(pip.output).toContain('Successfully installed tinyelf-1.0 tinypure-1.0');
    expect(sha256(bundle('aarch64'))).toBe(built.aarch64);
  });

  it('fails in one line, before uv is fetched, when the builder cannot reach the index', async () => {
    const closed = `http://${bridgeGateway()}:9/simple`;
    const cold = join(buildCache, 'unreachable');
    const result = await nx(['run', 'worker-bundle:pkg--debian13-py3.13-amd64', '--skip-nx-cache'], { ...env, PIP_INDEX_URL: closed, LAVA_BUILD_CACHE: cold });
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toMatch(
      new RegExp(`✖ worker-bundle:pkg--debian13-py3\\.13-amd64: a container of localhost:5001/e2e/build/lava/debian13-py3\\.13 cannot reach the package index ${closed.replace(/\./g, '\\.')} \\(.+\\); run: set PIP_INDEX_URL`),
    );
    expect(existsSync(join(cold, 'uv'))).toBe(false);
  });

  it('explains in one line what uv in the builder could not get', async () => {
    const extra = ws.path('packages/lava/requirements-extra.txt');
    const before = readFileSync(extra, 'utf8');
    writeFileSync(extra, 'tinymissing==1.0\n');
    try {
      const result = await nx(['run', 'worker-bundle:pkg--debian13-py3.13-amd64', '--skip-nx-cache'], env);
      expect(result.exitCode).not.toBe(0);
      expect(result.output).toContain(
        `✖ worker-bundle:pkg--debian13-py3.13-amd64: uv could not get tinymissing==1.0 from ${index.url} (the index has no such package); run: check PIP_INDEX_URL`,
      );
    } finally {
      writeFileSync(extra, before);
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
