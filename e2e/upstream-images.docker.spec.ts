// The lava images of the adopted real tree on the engine: a FAKE Debian OS added to its
// docker/os built through the real Dockerfile (# syntax= line and all) and the real common/
// scripts, and checked with the real common/img-check.sh. linux/amd64 only: the arm64 path of
// the same executor is proven by the stand-in image test, and qemu would multiply the cost of
// the worker's pins. How the same tree is staged: upstream-images.spec.ts.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeGateway, engineEnv, registryManifest, skipDockerTests } from './support/docker';
import { startPypiIndex, type BuiltWheel, type PypiIndex } from './support/pypi-index';
import { runNxAsync } from './support/nx-async';
import { addFakeOs, D, fakeOracleZips, OS } from './support/upstream-os';
import { adoptedWorkspace, upstreamSkipReason } from './support/upstream';
import { type TempWorkspace } from './support/workspace';

const engineSkip = upstreamSkipReason() !== undefined || skipDockerTests();

describe.skipIf(engineSkip)('a fake OS in the adopted docker/os: real Dockerfile, real common scripts, real img-check.sh', () => {
  let ws: TempWorkspace;
  let index: PypiIndex;
  let scratch: string;
  let env: Record<string, string | undefined>;
  let version: string;
  const nx = (args: string[]) => runNxAsync(ws.root, args, env);

  beforeAll(async () => {
    ws = adoptedWorkspace({ prefix: 'lava-upstream-images' });
    addFakeOs(ws);
    await fakeOracleZips(ws);
    version = JSON.parse(readFileSync(ws.path('packages/lava/lava/VERSION.json'), 'utf8')).__version_num__;
    const nxJson = JSON.parse(readFileSync(ws.path('nx.json'), 'utf8'));
    const images = nxJson.plugins.find((p: { plugin?: string }) => typeof p === 'object' && /plugins\/docker-images\.(ts|js)$/.test(p.plugin ?? ''));
    images.options.platforms = ['linux/amd64'];
    writeFileSync(ws.path('nx.json'), JSON.stringify(nxJson, null, 2));

    // The worker's real pins that have a wheel for CPython 3.13 (cx_Oracle 8.3.0 has none and no compiler is
    // reachable in the image), from the package index, served to the image build from the docker bridge.
    scratch = mkdtempSync(join(tmpdir(), 'lava-upstream-images-'));
    const pins = readFileSync(ws.path('packages/lava/requirements.txt'), 'utf8').split('\n').filter((l) => !/^cx_Oracle/i.test(l)).join('\n');
    writeFileSync(ws.path('packages/lava/requirements.txt'), pins);
    writeFileSync(ws.path('packages/lava/requirements-extra.txt'), '# the compiled extras (PyGreSQL, pyodbc, pyarrow) are left out of the fake OS\n');
    const wheels = join(scratch, 'wheels');
    const pipEnv: Record<string, string | undefined> = {
      ...process.env, PIP_PLATFORM: 'manylinux2014_x86_64 manylinux_2_17_x86_64 manylinux_2_28_x86_64', PIP_PYTHON_VERSION: '3.13', PIP_IMPLEMENTATION: 'cp', PIP_ONLY_BINARY: ':all:',
    };
    delete pipEnv.PIP_FIND_LINKS;
    execFileSync('python3', ['-m', 'pip', 'download', '--quiet', '--dest', wheels, '-r', ws.path('packages/lava/requirements.txt')], { env: pipEnv, stdio: 'pipe' });
    const built: BuiltWheel[] = readdirSync(wheels).filter((f) => f.endsWith('.whl')).map((file) => {
      const [name, v] = file.split('-');
      const path = join(wheels, file);
      return { name, version: v, file, path, sha256: execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0] };
    });
    const gateway = bridgeGateway();
    index = await startPypiIndex({ wheels: built, host: gateway });
    writeFileSync(ws.path(D, 'os', OS, 'base/pip.conf'), `[global]\nindex-url = ${index.url}\ntrusted-host = ${gateway}\nbreak-system-packages = true\ndisable-pip-version-check = true\n`);
    chmodSync(ws.path(D, 'os', OS, 'base/pip.conf'), 0o644);
    env = engineEnv();
  }, 600_000);
  afterAll(async () => {
    await index?.close();
    ws?.remove();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('builds base and full through the real Dockerfile, its # syntax= line answered in one line', async () => {
    const result = await nx(['run', `docker-${OS}:build`]);
    expect(result.exitCode, result.output).toBe(0);
    const syntax = result.output.split('\n').filter((l) => l.includes('asks for the docker/dockerfile:1 frontend'));
    expect(syntax.length).toBeGreaterThanOrEqual(1);
    // The real common/base/base-50-install-lava.sh installed the worker and its pins; the real full-20-oracle.sh ran sqlplus.
    expect(result.output).toContain(`base-50-install-lava.sh: Lava version ${version} installed`);
    expect(result.output).toContain('SQL*Plus: Release 23.8');
    for (const type of ['base', 'full']) {
      const index = await registryManifest(`lava/${OS}/${type}`, version);
      expect(index?.digest, type).toMatch(/^sha256:/);
    }
  }, 1_800_000);

  it('check runs the real img-check.sh for each type on the platform, all green', async () => {
    const result = await nx(['run', `docker-${OS}:check`]);
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toContain(`✅ localhost:5001/lava/${OS}/base (linux/amd64): 0 errors`);
    expect(result.output).toContain(`✅ localhost:5001/lava/${OS}/full (linux/amd64): 0 errors`);
    expect(result.output).toContain(`✔ ${OS} full linux/amd64:`);
    expect(result.output).toContain('✅ chk_base_arch passed');
    // Under bash >= 4.4 the real script runs only the first check of each list: said in one line, not hidden.
    const all = result.output.includes('✅ chk_full_sqlplus passed');
    if (!all) expect(result.output).toMatch(/⚠ packages\/docker\/common\/img-check\.sh ran \d+ of its (8 base|11 full) checks: under bash >= 4\.4/);
  }, 600_000);
});
