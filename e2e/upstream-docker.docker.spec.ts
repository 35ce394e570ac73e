// The real lava tree's docker-side artefacts through fixture builders and a real engine:
// the four real Lambdas (real handlers, the real lava package, their real pins, served to
// the container from a local index) compared entry by entry with what the real
// lambda/pkg.sh zips, and one foreign worker bundle of the real tree for arm64.
// Fixture builder images go to a registry namespace of this test's own, never build/lava.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleEntries, stageBundle } from '../tools/executors/src/lib/python/bundle';
import { tinyElfWheels } from './support/binary-wheel';
import { BASE_IMAGE, bridgeGateway, engineEnv, fileFromImage, skipDockerTests, useFixtureBuilders } from './support/docker';
import { buildWheel, startPypiIndex, type BuiltWheel, type PypiIndex } from './support/pypi-index';
import { uvWheels } from './support/uv-wheels';
import { runNxAsync } from './support/nx-async';
import { adoptedWorkspace, upstreamSkipReason } from './support/upstream';
import type { TempWorkspace } from './support/workspace';

const skip = upstreamSkipReason() !== undefined || skipDockerTests();
const LAMBDAS = ['dispatch', 's3trigger', 'stop', 'metrics'];
const NAMESPACE = 'e2e-upstream/build/lava';
/** What pip is told to pick for the Lambda's platform (the fixture builder runs Python 3.13 on aarch64). */
const ARM64_PIP = { PIP_PLATFORM: 'manylinux2014_aarch64 manylinux_2_17_aarch64 manylinux_2_28_aarch64', PIP_PYTHON_VERSION: '3.13', PIP_IMPLEMENTATION: 'cp', PIP_ONLY_BINARY: ':all:' };

/** Real wheels from the package index for aarch64 CPython 3.13: the Lambdas' own pins and their dependencies. */
function downloadWheels(requirements: string, dir: string): BuiltWheel[] {
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env, ...ARM64_PIP };
  delete (env as Record<string, string | undefined>).PIP_FIND_LINKS;
  execFileSync('python3', ['-m', 'pip', 'download', '--quiet', '--dest', dir, '-r', requirements], { env, stdio: 'pipe' });
  return readdirSync(dir)
    .filter((f) => f.endsWith('.whl'))
    .map((file) => {
      const [name, version] = file.split('-');
      const path = join(dir, file);
      const sha256 = execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0];
      return { name, version, file, path, sha256 };
    });
}

function zipFiles(zip: string): string[] {
  return execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n').filter((e) => !e.endsWith('/')).sort();
}

/** Every path under `dir` that is, or lies under, a symbolic link (zip -r follows them; pkg.sh's cpio kept them as links). */
function linkedPaths(dir: string, prefix: string): string[] {
  const out = execFileSync('find', [dir, '-type', 'l'], { encoding: 'utf8' }).trim();
  return out ? out.split('\n').map((p) => `${prefix}/${relative(dir, p)}`) : [];
}

describe.skipIf(skip)('the real tree’s Lambdas and a foreign bundle (fixture builders, real engine)', () => {
  let ws: TempWorkspace;
  let index: PypiIndex;
  let env: Record<string, string | undefined>;
  let version: string;
  let scratch: string;
  const nx = (args: string[]) => runNxAsync(ws.root, args, env);

  beforeAll(async () => {
    ws = adoptedWorkspace({ prefix: 'lava-upstream-docker' });
    useFixtureBuilders(ws);
    const nxJson = JSON.parse(readFileSync(ws.path('nx.json'), 'utf8'));
    const builders = nxJson.plugins.find((p: { plugin?: string }) => typeof p === 'object' && /plugins\/builders\.(ts|js)$/.test(p.plugin ?? ''));
    builders.options.repository = NAMESPACE;
    writeFileSync(ws.path('nx.json'), JSON.stringify(nxJson, null, 2));
    version = JSON.parse(readFileSync(ws.path('packages/lava/lava/VERSION.json'), 'utf8')).__version_num__;
    scratch = mkdtempSync(join(tmpdir(), 'lava-upstream-docker-'));

    // The Lambdas' real pins, all four files together.
    const pins = join(scratch, 'lambda-requirements.txt');
    writeFileSync(pins, LAMBDAS.map((n) => readFileSync(ws.path(`packages/lambda/${n}/requirements.txt`), 'utf8')).join('\n'));
    const real = downloadWheels(pins, join(scratch, 'wheels'));
    // The worker bundle's requirements are kept tiny (qemu is slow): a pure wheel and one with a real ELF per arch.
    const libz = {
      x86_64: fileFromImage(BASE_IMAGE, 'linux/amd64', '/usr/lib/x86_64-linux-gnu/libz.so.1'),
      aarch64: fileFromImage(BASE_IMAGE, 'linux/arm64', '/usr/lib/aarch64-linux-gnu/libz.so.1'),
    };
    const tiny = [
      await buildWheel(join(scratch, 'tiny'), { name: 'tinypure', version: '1.0', files: { 'tinypure/__init__.py': 'VALUE = 1\n' } }),
      ...(await tinyElfWheels(join(scratch, 'tiny'), libz)),
    ];
    const gateway = bridgeGateway();
    // uv's own wheels too: the builders run uv, fetched through the index.
    index = await startPypiIndex({ wheels: [...real, ...tiny, ...(await uvWheels())], host: gateway });
    env = { ...engineEnv(), PIP_INDEX_URL: index.url, PIP_TRUSTED_HOST: gateway, LAVA_BUILD_CACHE: join(scratch, 'build-cache') };
  }, 600_000);
  afterAll(async () => {
    await index?.close();
    ws?.remove();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('builds the four real Lambdas in the amzn2023-py3.13 (fixture) builder, pushed under the test’s own namespace', async () => {
    const result = await nx(['run-many', '-t', 'build', '-p', 'lambda-*']);
    expect(result.exitCode, result.output).toBe(0);
    expect(readFileSync(ws.path('dist/builders/amzn2023-py3.13/image.digest'), 'utf8')).toMatch(new RegExp(`^localhost:5001/${NAMESPACE}/amzn2023-py3\\.13@sha256:`));
    for (const name of LAMBDAS) expect(existsSync(ws.path(`dist/lambda/${name}-${version}.zip`)), name).toBe(true);
  }, 1_200_000);

  it('zips what the real lambda/pkg.sh zips, plus only the .so files and link targets make dropped', () => {
    // pkg.sh as make ran it: from lambda/, the lava package beside it, pip told the Lambda's platform.
    const make = join(scratch, 'make');
    cpSync(ws.path('packages/lambda'), join(make, 'lambda'), { recursive: true, verbatimSymlinks: true });
    cpSync(ws.path('packages/lava/lava'), join(make, 'lava'), { recursive: true, verbatimSymlinks: true });
    mkdirSync(join(make, 'out'));
    const pipEnv: Record<string, string | undefined> = { ...process.env, ...ARM64_PIP, PIP_INDEX_URL: index.url, PIP_TRUSTED_HOST: env.PIP_TRUSTED_HOST };
    delete pipEnv.PIP_FIND_LINKS;
    const links = linkedPaths(ws.path('packages/lava/lava'), 'lava');
    for (const name of LAMBDAS) {
      execFileSync('bash', ['pkg.sh', '-d', join(make, 'out'), name], { cwd: join(make, 'lambda'), env: pipEnv, stdio: 'pipe' });
      const theirs = zipFiles(join(make, 'out', `${name}-${version}.zip`));
      const ours = zipFiles(ws.path(`dist/lambda/${name}-${version}.zip`));
      // The installer's records of the install (RECORD, INSTALLER, …) are dropped, as from the worker bundle's pylib/.
      const records = /\.dist-info\/(RECORD|INSTALLER|REQUESTED|direct_url\.json)$/;
      expect(theirs.filter((e) => !ours.includes(e) && !records.test(e)), `${name}: in make's zip, not ours`).toEqual([]);
      const extra = ours.filter((e) => !theirs.includes(e));
      const unexplained = extra.filter((e) => !e.endsWith('.so') && !links.some((l) => e === l || e.startsWith(`${l}/`)));
      expect(unexplained, `${name}: in ours, not make's`).toEqual([]);
      const so = extra.filter((e) => e.endsWith('.so')).length;
      console.log(`${name}: make's pkg.sh ${theirs.length} files, ours ${ours.length}: + ${so} .so, + ${extra.length - so} under links make dropped`);
      expect(theirs).toContain(`${name}.py`);
      expect(theirs).toContain('lava/__init__.py');
      expect(theirs.some((e) => e.startsWith('jinja2/'))).toBe(true);
    }
  });

  it('keeps the compiled modules make dropped, built for the Lambda’s platform (aarch64)', () => {
    const zip = ws.path(`dist/lambda/dispatch-${version}.zip`);
    const so = zipFiles(zip).filter((e) => e.endsWith('.so'));
    expect(so.some((e) => e.startsWith('markupsafe/'))).toBe(true);
    const dir = mkdtempSync(join(scratch, 'so-'));
    execFileSync('unzip', ['-q', zip, ...so, '-d', dir]);
    for (const f of so) expect(execFileSync('file', ['-b', join(dir, f)], { encoding: 'utf8' }), f).toMatch(/ELF 64-bit LSB .*ARM aarch64/);
  });

  it('builds a foreign worker bundle of the real tree for arm64 in a fixture builder: the host bundle’s entries, aarch64 modules', async () => {
    writeFileSync(ws.path('packages/lava/requirements.txt'), 'tinyelf==1.0\n');
    writeFileSync(ws.path('packages/lava/requirements-extra.txt'), 'tinypure==1.0\n');
    const foreign = await nx(['run', 'worker-bundle:pkg', '--configuration=debian13-py3.13-arm64']);
    expect(foreign.exitCode, foreign.output).toBe(0);
    const tarball = ws.path(`dist/pkg/debian13/lava-${version}-debian13-py3.13-aarch64.tar.bz2`);
    const ours = execFileSync('tar', ['-tjf', tarball], { encoding: 'utf8' }).trim().split('\n').map((e) => e.replace(/\/$/, '')).sort();
    // The host bundle's rules (make's etc/pkg.sh), staged from the same tree by the same library.
    const staging = join(scratch, 'host-rules');
    await stageBundle(ws.path('packages/lava'), staging);
    const rules = (await bundleEntries(staging)).map((e) => e.path).sort();
    const outsidePylib = (l: string[]) => l.filter((e) => e !== 'pylib' && !e.startsWith('pylib/'));
    expect(outsidePylib(ours)).toEqual(outsidePylib(rules));
    expect(ours.filter((e) => e.startsWith('etc/'))).toEqual(['etc/dyn-put-item', 'etc/jinja', 'etc/yaml2json']);
    expect(ours).toContain('lava/__init__.py');
    expect(ours).toContain('pylib/tinypure/__init__.py');
    const dir = mkdtempSync(join(scratch, 'bundle-'));
    execFileSync('tar', ['-xjf', tarball, '-C', dir, 'pylib/tinyelf/_native.so']);
    expect(execFileSync('file', ['-b', join(dir, 'pylib/tinyelf/_native.so')], { encoding: 'utf8' })).toMatch(/ELF 64-bit LSB .*ARM aarch64/);
  }, 1_200_000);
});
