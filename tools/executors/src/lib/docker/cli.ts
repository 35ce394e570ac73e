// Docker command lines as pure functions of explicit inputs, and the checks
// that turn "docker is not quite right" into one line saying what to run.
import { readFile } from 'node:fs/promises';
import { BuildError } from '../core/errors';
import type { Platform } from '../core/platform';
import { run } from '../core/process';
import { parseJsonFile } from '../core/user-files';
import { REGISTRY_HOST } from './registry-address';

export const BUILDER_REPOSITORY = 'build/lava';
export const ENGINE_SCRIPT = 'tools/docker-engine/engine.sh';
/** pip's settings a container build receives by name (`-e NAME`): their values never reach argv or logs. */
export const PIP_ENV = ['PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL', 'PIP_TRUSTED_HOST'] as const;

/** `localhost:5001/build/lava/<builder>`; tests use a namespace of their own (the builders plugin's `repository`). */
export function builderImage(runtime: string, registry = REGISTRY_HOST, repository = BUILDER_REPOSITORY): string {
  return `${registry}/${repository}/${runtime}`;
}

export interface BuildxInputs {
  dockerfile: string;
  context: string;
  /** Full tags, e.g. localhost:5001/build/lava/amzn2023-py3.13:latest */
  tags: readonly string[];
  platforms: readonly Platform[];
  metadataFile: string;
  /**
   * Push with OCI media types (`--output=type=registry,oci-mediatypes=true`) instead of `--push`:
   * docker's manifest-list format has no room for index annotations.
   */
  ociMediaTypes?: boolean;
  /** Rebuild every layer, ignoring BuildKit's cache (the Nx cache is skipped with --skip-nx-cache). */
  noCache?: boolean;
  /** Build args with their values (`--build-arg NAME=VALUE`): never secrets. */
  buildArgs?: Readonly<Record<string, string>>;
  /**
   * Build args passed by name (`--build-arg NAME`, docker reads the value from our
   * environment): for Dockerfiles that declare `ARG NAME`, as make passed them. The value
   * never reaches argv, but the Dockerfile's RUN lines put it in the image history.
   */
  buildArgsFromEnv?: readonly string[];
  labels?: Readonly<Record<string, string>>;
  /** Put on each manifest, and on the index of a multi-platform build. */
  annotations?: Readonly<Record<string, string>>;
  /**
   * Secrets read from our environment by name (`--secret id=NAME,env=NAME`): a Dockerfile
   * mounts them in one RUN. Not build args: ARG values used by a RUN show in `docker history`.
   */
  secretsFromEnv?: readonly string[];
}

/** `docker buildx build` of a multi-platform image, pushed; the digest lands in `metadataFile`. */
export function buildxBuildArgs(i: BuildxInputs): string[] {
  return [
    'buildx', 'build',
    i.ociMediaTypes ? '--output=type=registry,oci-mediatypes=true' : '--push',
    '--pull',
    `--platform=${i.platforms.map((p) => p.docker).join(',')}`,
    // Provenance attestations carry build times: without this, every rebuild gets a new digest.
    '--provenance=false',
    ...(i.noCache ? ['--no-cache'] : []),
    '--metadata-file', i.metadataFile,
    '-f', i.dockerfile,
    ...i.tags.flatMap((t) => ['-t', t]),
    ...Object.entries(i.buildArgs ?? {}).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
    ...(i.buildArgsFromEnv ?? []).flatMap((name) => ['--build-arg', name]),
    ...Object.entries(i.labels ?? {}).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
    // One flag per level: buildx 0.13 with the docker driver takes "index,manifest:" as part of the key.
    // A one-platform build pushes a single manifest: BuildKit refuses index annotations then.
    ...Object.entries(i.annotations ?? {}).flatMap(([k, v]) => [...(i.platforms.length > 1 ? ['--annotation', `index:${k}=${v}`] : []), '--annotation', `manifest:${k}=${v}`]),
    ...(i.secretsFromEnv ?? []).flatMap((name) => ['--secret', `id=${name},env=${name}`]),
    i.context,
  ];
}

export interface RunInputs {
  image: string;
  platform: Platform;
  uid: number;
  gid: number;
  /** Host paths mounted into the container: host, container path, and `ro` for a read-only mount. */
  mounts: readonly (readonly [string, string] | readonly [string, string, 'ro'])[];
  workdir: string;
  /** Environment variables passed by name (`-e NAME`, the value taken from our environment). */
  envFromHost?: readonly string[];
  /** Fixed environment values (never secrets). */
  env?: Readonly<Record<string, string>>;
  command: readonly string[];
}

/** `docker run --rm` as the invoking user, so every file it writes on a mount is the user's. */
export function dockerRunArgs(i: RunInputs): string[] {
  return [
    'run', '--rm',
    '--user', `${i.uid}:${i.gid}`,
    '-w', i.workdir,
    ...i.mounts.flatMap((m) => ['-v', m.join(':')]),
    ...(i.envFromHost ?? []).flatMap((name) => ['-e', name]),
    ...Object.entries(i.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    '--platform', i.platform.docker,
    i.image,
    ...i.command,
  ];
}

/** The digest buildx wrote to its metadata file. */
export async function digestFromMetadata(metadataFile: string): Promise<string> {
  const metadata = parseJsonFile<Record<string, unknown> | null>(await readFile(metadataFile, 'utf8'), metadataFile) ?? {};
  const digest = metadata['containerimage.digest'];
  if (typeof digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(digest)) {
    throw new BuildError(`buildx wrote no image digest to ${metadataFile}`);
  }
  return digest;
}

/** `docker info` answers: otherwise say how to get an engine. */
export async function checkEngine(): Promise<void> {
  const noEngine = `no docker engine answers${process.env.DOCKER_HOST ? ` at DOCKER_HOST=${process.env.DOCKER_HOST}` : ''}`;
  const fix = `eval "$(${ENGINE_SCRIPT} up)" (or install Docker with buildx)`;
  try {
    // `docker info --format` exits 0 when the daemon is unreachable; `docker version` does not.
    await run('docker', ['version', '--format', '{{.Server.Version}}'], { stream: false, label: 'docker version', missingHint: fix });
  } catch (error) {
    if (error instanceof BuildError && error.problem.includes('not found on PATH')) throw error;
    throw new BuildError(noEngine, { fix, cause: error });
  }
}

/**
 * The buildx builder in use: the one `BUILDX_BUILDER` names, else the current one. Every
 * `docker buildx` call of ours (build, imagetools, inspect) picks it from the environment we pass
 * through, so a team with native nodes (`docker buildx create --append --platform linux/arm64 …`)
 * sets the variable and builds on them; no option of ours is needed.
 */
export function builderInUse(env: NodeJS.ProcessEnv = process.env): string {
  return env.BUILDX_BUILDER ? `the buildx builder ${env.BUILDX_BUILDER} (BUILDX_BUILDER)` : 'the buildx builder';
}

/** The builder in use (see builderInUse) can build for every platform in `platforms` in one multi-platform build. */
export async function checkMultiPlatformBuildx(platforms: readonly Platform[]): Promise<void> {
  const named = process.env.BUILDX_BUILDER;
  const fix = named
    ? `docker buildx ls (to see which builders exist), or unset BUILDX_BUILDER to use the engine's`
    : `eval "$(${ENGINE_SCRIPT} up)" (Docker with buildx and the containerd image store)`;
  let ls: string;
  try {
    ls = (await run('docker', ['buildx', 'inspect'], { stream: false, label: 'docker buildx inspect' })).stdout;
  } catch (error) {
    throw new BuildError(named ? `${builderInUse()} is missing or does not answer` : 'docker buildx is missing or broken', { fix, cause: error });
  }
  const problem = multiPlatformProblem(ls, platforms);
  if (problem) throw new BuildError(problem, { fix });
  if (ls.match(/^Driver:\s+docker\s*$/m)) {
    const store = await run('docker', ['info', '--format', '{{json .DriverStatus}}'], { stream: false, label: 'docker info' });
    if (!store.stdout.includes('io.containerd.snapshotter')) {
      throw new BuildError("buildx's docker driver cannot build multi-platform images without the containerd image store", { fix });
    }
  }
}

/**
 * What is wrong with `docker buildx inspect` output for a build on `platforms`, or undefined.
 * A builder with several nodes lists one `Platforms:` line per node; it builds for their union
 * (each platform on a node that offers it).
 */
export function multiPlatformProblem(inspect: string, platforms: readonly Platform[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  const offered = [...inspect.matchAll(/^Platforms:\s*(.*)$/gm)].flatMap((m) => m[1].split(',').map((p) => p.trim().replace(/\*$/, '')));
  const missing = platforms.filter((p) => !offered.includes(p.docker)).map((p) => p.docker);
  if (!missing.length) return undefined;
  const why = env.BUILDX_BUILDER ? 'no node of it offers that, natively or emulated' : 'no emulation registered?';
  return `${builderInUse(env)} cannot build for ${missing.join(', ')} (${why})`;
}
