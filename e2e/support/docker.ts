// The docker tests run against the real engine of tools/docker-engine/engine.sh (or any
// docker with buildx): they skip, saying why, when there is none, unless ./build.sh test
// brought one up (LAVA_DOCKER_TESTS=required) or CI is set: then a missing engine fails.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyElfWheels } from './binary-wheel';
import { buildWheel, startPypiIndex, type PypiIndex } from './pypi-index';
import { uvWheels } from './uv-wheels';
import { WORKSPACE_ROOT, type TempWorkspace } from './workspace';
import { MANIFEST_TYPES } from '../../tools/executors/src/lib/docker/registry';
import { REGISTRY_HOST, REGISTRY_URL } from '../../tools/executors/src/lib/docker/registry-address';

export const ENGINE = join(WORKSPACE_ROOT, 'tools/docker-engine/engine.sh');
export const BASE_IMAGE = `${REGISTRY_HOST}/base/trixie-py3.13:r1`;
export const FIXTURE_BUILDERS = 'e2e/fixtures/builders';

/** Why the docker tests cannot run here, or undefined when they can. */
export function dockerUnavailable(): string | undefined {
  const env = engineEnv();
  const ok = (file: string, args: string[]) => spawnSync(file, args, { env: { ...process.env, ...env }, stdio: 'ignore' }).status === 0;
  if (!ok('docker', ['info'])) return `no docker engine (run: sudo ${ENGINE} up)`;
  if (!ok('docker', ['buildx', 'version'])) return 'docker has no buildx';
  if (!ok('curl', ['-sf', '-o', '/dev/null', `${REGISTRY_URL}/v2/base/trixie-py3.13/manifests/r1`, '-H', 'Accept: application/vnd.oci.image.index.v1+json'])) {
    return `the test base image ${BASE_IMAGE} is not in the registry (run: ${ENGINE} base)`;
  }
  return undefined;
}

/** Throws in CI (or under ./build.sh test) instead of skipping. */
export function skipDockerTests(): boolean {
  const why = dockerUnavailable();
  if (!why) return false;
  if (process.env.LAVA_DOCKER_TESTS === 'required' || process.env.CI) throw new Error(`docker tests cannot run: ${why}`);
  console.warn(`skipping docker tests: ${why}`);
  return true;
}

/** DOCKER_HOST / DOCKER_CONFIG / PATH of the script's engine when it runs; empty for the user's own docker. */
export function engineEnv(): Record<string, string> {
  const result = spawnSync('bash', [ENGINE, 'env'], { encoding: 'utf8' });
  if (result.status !== 0) return {};
  const env: Record<string, string> = {};
  for (const line of result.stdout.split('\n')) {
    const m = /^export (\w+)=(.*)$/.exec(line);
    if (m) env[m[1]] = m[2].replace('$PATH', process.env.PATH ?? '');
  }
  return env;
}

/** Where fixture builder images are pushed: never build/lava, where a real builder of the same name lives. */
export const FIXTURE_NAMESPACE = 'e2e/build/lava';

/**
 * Points the copy's builders plugin at the fixture builders (Docker Hub is unreachable here)
 * and pushes their images under the tests' own namespace.
 */
export function useFixtureBuilders(ws: TempWorkspace, dir = FIXTURE_BUILDERS, namespace = FIXTURE_NAMESPACE): void {
  const nxJson = ws.path('nx.json');
  const text = readFileSync(nxJson, 'utf8');
  const replaced = text.replace(/"buildersDir": "[^"]*"/g, `"buildersDir": "${dir}"`);
  if (replaced === text) throw new Error('nx.json has no builders plugin buildersDir option to point at the fixtures');
  const config = JSON.parse(replaced) as { plugins: (string | { plugin: string; options?: Record<string, unknown> })[] };
  const builders = config.plugins.find((p) => typeof p === 'object' && /plugins\/builders\.(ts|js)$/.test(p.plugin));
  if (typeof builders !== 'object') throw new Error('nx.json has no builders plugin entry');
  builders.options = { ...builders.options, repository: namespace };
  writeFileSync(nxJson, `${JSON.stringify(config, null, 2)}\n`);
}

export function docker(args: string[]): string {
  return execFileSync('docker', args, { env: { ...process.env, ...engineEnv() }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The registry's manifest (index or image) for repository:reference, with its digest. */
export interface RegistryManifest {
  digest: string;
  body: { mediaType?: string; manifests?: { platform: { os: string; architecture: string } }[] };
}

export async function registryManifest(repository: string, reference: string): Promise<RegistryManifest | undefined> {
  const response = await fetch(`${REGISTRY_URL}/v2/${repository}/manifests/${reference}`, { headers: { Accept: MANIFEST_TYPES } });
  if (response.status === 404) return undefined;
  return { digest: response.headers.get('docker-content-digest') ?? '', body: (await response.json()) as RegistryManifest['body'] };
}

/** The host's address on docker's default bridge: where a container reaches a server of the test. */
export function bridgeGateway(): string {
  return docker(['network', 'inspect', 'bridge', '--format', '{{(index .IPAM.Config 0).Gateway}}']).trim();
}

/** A file from inside an image, as bytes (e.g. a real shared library of that platform). */
export function fileFromImage(image: string, platform: string, path: string): Buffer {
  return execFileSync('docker', ['run', '--rm', '--platform', platform, image, 'cat', path], {
    env: { ...process.env, ...engineEnv() },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** ELF e_machine of a file's header: 62 = x86-64, 183 = aarch64. */
export function elfMachine(data: Buffer): number {
  if (data.subarray(0, 4).toString('latin1') !== '\x7fELF') throw new Error('not an ELF file');
  return data.readUInt16LE(18);
}
export const ELF_X86_64 = 62;
export const ELF_AARCH64 = 183;

/**
 * A local index on docker's bridge, reachable from containers, serving `tinypure` (pure) and
 * `tinyelf` (a real ELF of each arch, so the installed .so shows which wheel pip chose), and
 * uv's own wheels (builder containers run uv, fetched through the index); plus the nx
 * environment that points pip at it, with a build cache of the test's own (`buildCache`: uv's
 * binaries and caches start cold; `index.close()` removes it).
 */
export async function startContainerIndex(ws: TempWorkspace): Promise<{ index: PypiIndex; env: Record<string, string | undefined>; buildCache: string }> {
  const wheels = join(ws.root, '.wheels');
  const libz = {
    x86_64: fileFromImage(BASE_IMAGE, 'linux/amd64', '/usr/lib/x86_64-linux-gnu/libz.so.1'),
    aarch64: fileFromImage(BASE_IMAGE, 'linux/arm64', '/usr/lib/aarch64-linux-gnu/libz.so.1'),
  };
  const pure = await buildWheel(wheels, { name: 'tinypure', version: '1.0', files: { 'tinypure/__init__.py': 'VALUE = 1\n' } });
  const gateway = bridgeGateway();
  const index = await startPypiIndex({ wheels: [pure, ...(await tinyElfWheels(wheels, libz)), ...(await uvWheels())], host: gateway });
  const buildCache = mkdtempSync(join(tmpdir(), 'lava-e2e-build-cache-'));
  // Closing the index removes the build cache too: every caller closes the index.
  const close = async () => {
    await index.close();
    rmSync(buildCache, { recursive: true, force: true });
  };
  return { index: { ...index, close }, env: { ...engineEnv(), PIP_INDEX_URL: index.url, PIP_TRUSTED_HOST: gateway, LAVA_BUILD_CACHE: buildCache }, buildCache };
}

/** The files under `dir`, recursively (how full a uv cache is). */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}
