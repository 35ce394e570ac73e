// The lava images of the adopted real tree: its docker/ folder staged exactly as make's
// docker/Makefile staged it (file lists compared with make's own cp -RL lines, for the real
// amzn2023 OS and a FAKE Debian OS added to docker/os), then the fake OS built through the
// real Dockerfile (# syntax= line and all) and the real common/ scripts, and checked with
// the real common/img-check.sh. linux/amd64 only: the arm64 path of the same executor is
// proven by the stand-in image test, and qemu would multiply the cost of the worker's pins.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFiles, stageImageContext } from '../tools/executors/src/lib/images/context';
import { PLATFORMS } from '../tools/executors/src/lib/core/platform';
import { readLifecyclePolicy } from '../tools/executors/src/lib/images/ecr';
import { MAKE_IMAGE_METADATA, readImageMetadata } from '../tools/executors/src/lib/images/metadata';
import { fakeInstantClientZip } from '../tools/executors/src/testing/fake-instant-client';
import { bridgeGateway, engineEnv, registryManifest, skipDockerTests } from './support/docker';
import { startPypiIndex, type BuiltWheel, type PypiIndex } from './support/pypi-index';
import { runNxAsync } from './support/nx-async';
import { adoptedWorkspace, upstreamSkipReason } from './support/upstream';
import { WORKSPACE_ROOT, type TempWorkspace } from './support/workspace';

const upstreamSkip = upstreamSkipReason();
const OS = 'fakeupstream13'; // its own repositories: the stand-in image test pushes lava/fakedebian13/*
const D = 'packages/docker';

/** make's recipe lines for one context, run by bash in the docker folder. */
function makeContext(dockerDir: string, os: string, type: 'base' | 'full', version: string): string[] {
  const tmp = mkdtempSync(join(tmpdir(), 'make-context-'));
  const lines =
    type === 'base'
      ? `cp -RL os/${os}/base/* "$TMP"; touch "$TMP/lava-${version}.tar.bz2"` // cp -L $(PKG) $TMP: the bundle, made apart
      : `cp -RL os/${os}/full/* "$TMP"; mkdir -p "$TMP/packages"; cp -RL packages "$TMP"`;
  execFileSync('bash', ['-c', `set -e; TMP=${tmp}; ${lines}`], { cwd: dockerDir });
  const files = contextFiles(tmp);
  rmSync(tmp, { recursive: true, force: true });
  return files;
}

/** Adds the fake OS to the adopted docker/os, linking the real common scripts in as the real OS folders do. */
function addFakeOs(ws: TempWorkspace): void {
  const target = ws.path(D, 'os', OS);
  cpSync(join(WORKSPACE_ROOT, 'e2e/fixtures/upstream-os', OS), target, { recursive: true });
  for (const [link, to] of [
    ['base/base-50-install-lava.sh', '../../../common/base/base-50-install-lava.sh'],
    ['base/utils.sh', '../../../common/utils.sh'],
    ['base/config.sh', '../../../common/config.sh'],
    ['full/full-20-oracle.sh', '../../../common/full/full-20-oracle.sh'],
    ['full/utils.sh', '../../../common/utils.sh'],
    ['full/config.sh', '../../../common/config.sh'],
  ]) symlinkSync(to, join(target, link));
}

/** FAKE Instant Client zips where oracle:sync would put them (the real packages/ links point there). */
async function fakeOracleZips(ws: TempWorkspace): Promise<void> {
  const dir = ws.path('external-packages/oracle');
  mkdirSync(dir, { recursive: true });
  for (const type of ['basiclite', 'sqlplus']) {
    for (const arch of ['x64', 'arm64']) writeFileSync(join(dir, `instantclient-${type}-linux-${arch}.zip`), await fakeInstantClientZip(type, '23.8'));
  }
}

describe.skipIf(upstreamSkip)('the adopted docker/ staged as make staged it', () => {
  let ws: TempWorkspace;
  let version: string;
  beforeAll(async () => {
    ws = adoptedWorkspace({ prefix: 'lava-upstream-images-stage' });
    addFakeOs(ws);
    await fakeOracleZips(ws);
    version = JSON.parse(readFileSync(ws.path('packages/lava/lava/VERSION.json'), 'utf8')).__version_num__;
  });
  afterAll(() => ws?.remove());

  it.each([
    ['amzn2023', 'base'],
    ['amzn2023', 'full'],
    ['ubuntu24', 'full'],
    [OS, 'base'],
    [OS, 'full'],
  ] as const)('%s %s: the same file list as make’s', async (os, type) => {
    const scratch = mkdtempSync(join(tmpdir(), 'our-context-'));
    try {
      await stageImageContext({
        workspaceRoot: ws.root, dockerRoot: D, os, type, version, workerDir: 'packages/lava', oracleDir: 'external-packages/oracle',
        platforms: PLATFORMS, into: join(scratch, 'ctx'), scratch,
      });
      const ours = contextFiles(join(scratch, 'ctx'));
      expect(ours).toEqual(makeContext(ws.path(D), os, type, version));
      if (type === 'full') expect(ours).toContain('packages/instantclient-sqlplus-linux-arm64.zip');
      if (type === 'base') expect(ours).toContain('base-50-install-lava.sh');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('its lifecycle.json is what ecr-repo sets: the stand-in’s rules, in other words', () => {
    const rules = (root: string) =>
      (JSON.parse(readLifecyclePolicy(root, D)) as { rules: { rulePriority: number; selection: unknown; action: unknown }[] }).rules.map(({ rulePriority, selection, action }) => ({ rulePriority, selection, action }));
    expect(rules(ws.root)).toEqual(rules(WORKSPACE_ROOT));
  });

  it('it has no image-metadata.json, so the images get make’s labels and push defaults: its Makefile’s, word for word', () => {
    const makefile = readFileSync(ws.path(D, 'Makefile'), 'utf8');
    const attrs = /^define IMAGE_ATTRS\n([\s\S]*?)\nendef$/m.exec(makefile)?.[1] ?? '';
    const description = (type: string) => new RegExp(`^${type}:[^\n]*\n[\\s\\S]*?DESCRIPTION="([^"]*)"`, 'm').exec(makefile)?.[1];
    const title = /--label org\.opencontainers\.image\.title="([^"]*)"/.exec(makefile)?.[1];
    const metadata = readImageMetadata(ws.root, D);
    expect(metadata).toBe(MAKE_IMAGE_METADATA);
    expect(Object.entries(metadata.labels.attributes).map(([k, v]) => `${k}=${v}`).join('\n')).toBe(attrs);
    expect(metadata.labels.description).toEqual({ base: description('base'), full: description('full') });
    expect(metadata.labels.title).toBe(title?.replace('$@', '{type}').replace('$(os)', '{os}'));
    expect(metadata.push).toEqual({ registry: /^registry=(.*)$/m.exec(makefile)?.[1], prefix: /^prefix=(.*)$/m.exec(makefile)?.[1] });
  });
});

const engineSkip = upstreamSkip !== undefined || skipDockerTests();

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
