// A builder-container job (builder-container.ts ContainerJob) run as a BuildKit build on the
// buildx builder in use, instead of `docker run`: so a foreign platform's install runs on a
// node of that platform (`docker buildx create --append --platform linux/arm64 ssh://…`) rather
// than under qemu here. The generated Dockerfile is `FROM <image>@<digest>` and one RUN of the
// job's exact command: read-only mounts become `RUN --mount=type=bind` of named build contexts,
// secret variables become build secrets (never in a layer, argv or log), a writable mount (a
// cache) a BuildKit cache on the node, and the output folder is exported with `--output type=local`.
import { chmod, copyFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { BuildError } from '../core/errors';
import type { Platform } from '../core/platform';
import { run, tail } from '../core/process';
import { withTempDir } from '../core/fs';
import type { Command } from '../python/pip';
import { builderInUse } from './cli';
import { jobRunArgs, type ContainerJob, type JobMount } from './builder-container';

/** `docker` (docker run), `buildkit` (a build on the buildx builder in use), or `auto` (the default). */
export const INSTALL_RUNNER_ENV = 'LAVA_INSTALL_RUNNER';
const SETTINGS = ['auto', 'docker', 'buildkit'] as const;

export type InstallRunner =
  | { kind: 'docker'; why?: string }
  | { kind: 'buildkit'; builder: string; node: string; native: boolean };

export interface BuilderNode {
  name: string;
  status: string;
  /** As the node lists them, its own first; `*` marks those set at `buildx create --platform`, removed here. */
  platforms: string[];
}

export interface BuilderInfo {
  name: string;
  driver: string;
  nodes: BuilderNode[];
}

/** `docker buildx inspect` output, read. */
export function parseBuildxInspect(text: string): BuilderInfo {
  const [head, nodesPart = ''] = text.split(/^Nodes:\s*$/m);
  const field = (block: string, name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'm').exec(block)?.[1].trim() ?? '';
  const nodes = nodesPart
    .split(/^(?=Name:)/m)
    .filter((block) => /^Name:/.test(block))
    .map((block) => ({
      name: field(block, 'Name'),
      status: field(block, 'Status'),
      platforms: field(block, 'Platforms').split(',').map((p) => p.trim().replace(/\*$/, '')).filter(Boolean),
    }));
  return { name: field(head, 'Name'), driver: field(head, 'Driver'), nodes };
}

function setting(env: NodeJS.ProcessEnv): (typeof SETTINGS)[number] {
  const value = (env[INSTALL_RUNNER_ENV] ?? '').trim() || 'auto';
  if (!(SETTINGS as readonly string[]).includes(value)) {
    throw new BuildError(`${INSTALL_RUNNER_ENV}=${value} is not a runner; it is one of ${SETTINGS.join(', ')}`, { fix: `unset ${INSTALL_RUNNER_ENV} (auto)` });
  }
  return value as (typeof SETTINGS)[number];
}

function builderDecides(platform: Platform, host: Platform, env: NodeJS.ProcessEnv): boolean {
  const wanted = setting(env);
  return wanted === 'buildkit' || (wanted === 'auto' && !!env.BUILDX_BUILDER && platform.docker !== host.docker);
}

/**
 * Where a job for `platform` runs, given the setting and the builder in use (undefined when it
 * was not asked for). `auto` uses BuildKit only when BUILDX_BUILDER names a builder with a node of
 * the platform's own (its first platform: the one it runs natively, or was created for) and the
 * platform is foreign here, so docker run would emulate it; otherwise docker run, as before.
 * `buildkit` uses any running node that offers the platform, emulated or not.
 */
export function pickInstallRunner(platform: Platform, host: Platform, builder: BuilderInfo | undefined, env: NodeJS.ProcessEnv = process.env): InstallRunner {
  if (!builderDecides(platform, host, env)) return { kind: 'docker' };
  if (!builder) throw new Error('pickInstallRunner: the builder was not inspected');
  const wanted = setting(env);
  const running = builder.nodes.filter((n) => n.status === 'running');
  const own = running.find((n) => n.platforms[0] === platform.docker);
  if (own) return { kind: 'buildkit', builder: builder.name, node: own.name, native: true };
  const named = env.BUILDX_BUILDER ? builderInUse(env) : `the buildx builder ${builder.name}`;
  const down = builder.nodes.filter((n) => n.status !== 'running' && n.platforms.includes(platform.docker));
  if (down.length) {
    throw new BuildError(`${named}: its node ${down[0].name} for ${platform.docker} is ${down[0].status || 'not running'}`, {
      fix: `docker buildx inspect --bootstrap ${builder.name} (start that node's daemon), or ${INSTALL_RUNNER_ENV}=docker to run the install here`,
    });
  }
  if (wanted === 'auto') return { kind: 'docker', why: `${named} has no ${platform.docker} node of its own` };
  const offering = running.find((n) => n.platforms.includes(platform.docker));
  if (offering) return { kind: 'buildkit', builder: builder.name, node: offering.name, native: false };
  throw new BuildError(`${named} has no node for ${platform.docker}`, {
    fix: `docker buildx create --name ${builder.name} --append --platform ${platform.docker} ssh://<a ${platform.short} machine>, or ${INSTALL_RUNNER_ENV}=docker`,
  });
}

/** The buildx builder in use, as `docker buildx inspect` sees it; `bootstrap` starts its nodes first (a dead one fails here, not mid-build). */
export async function inspectBuilder(env: NodeJS.ProcessEnv = process.env, bootstrap = false): Promise<BuilderInfo> {
  try {
    const { stdout } = await run('docker', ['buildx', 'inspect', ...(bootstrap ? ['--bootstrap'] : [])], { stream: false, label: 'docker buildx inspect' });
    return parseBuildxInspect(stdout);
  } catch (error) {
    const said = error instanceof BuildError ? (error.detail ?? '') : '';
    const missing = /no builder .* found|not found/i.test(said);
    const name = env.BUILDX_BUILDER;
    throw new BuildError(`${builderInUse(env)} ${missing ? 'does not exist' : 'does not answer'}`, {
      fix: missing
        ? `docker buildx ls (to see which exist), or unset BUILDX_BUILDER`
        : `docker buildx inspect --bootstrap${name ? ` ${name}` : ''} (is every node's daemon up?), or ${INSTALL_RUNNER_ENV}=docker to run the install here`,
      cause: error,
    });
  }
}

/**
 * Where an install for `platform` runs (see pickInstallRunner); asks buildx only when the answer
 * depends on the builder. Nodes that are not running (a docker-container node starts on demand; a
 * remote one may be gone) are started with `--bootstrap` only when the running ones do not decide.
 */
export async function installRunner(platform: Platform, host: Platform, env: NodeJS.ProcessEnv = process.env): Promise<InstallRunner> {
  if (!builderDecides(platform, host, env)) return { kind: 'docker' };
  const seen = await inspectBuilder(env);
  if (seen.nodes.every((n) => n.status === 'running')) return pickInstallRunner(platform, host, seen, env);
  try {
    const picked = pickInstallRunner(platform, host, { ...seen, nodes: seen.nodes.filter((n) => n.status === 'running') }, env);
    if (picked.kind === 'buildkit' && picked.native) return picked;
  } catch {
    // The nodes not running may offer it: start them and ask again.
  }
  return pickInstallRunner(platform, host, await inspectBuilder(env, true), env);
}

/** `on the BuildKit builder lava-nodes (node lava-nodes-arm64)`, or `with docker run here`, for log lines. */
export function describeRunner(runner: InstallRunner): string {
  if (runner.kind === 'docker') return `with docker run here${runner.why ? ` (${runner.why})` : ''}`;
  return `on the BuildKit builder ${runner.builder} (node ${runner.node}${runner.native ? '' : ', emulated'})`;
}

// ---- the build ---------------------------------------------------------------------------------

/** A named build context's name for a container path: `/lava/build` → `lava-build`. */
export function contextName(path: string): string {
  return path.replace(/^\/+|\/+$/g, '').replace(/[^a-z0-9._-]+/gi, '-').toLowerCase() || 'root';
}

/** A value for a Dockerfile `ENV key="value"`. */
function envValue(value: string): string {
  if (/[\n\r]/.test(value)) throw new BuildError(`an environment value of a container job holds a line break: ${JSON.stringify(value)}`);
  return `"${value.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

/** How a mount reaches the node: a read-only one as a named context (its folder, or a folder staged with what the job reads), a writable one as a BuildKit cache. */
export interface StagedMount {
  mount: JobMount;
  /** The named context's folder (read-only mounts). */
  context?: string;
  /** For a file: its name in `context`. */
  source?: string;
}

/** The files of each read-only mount (by its container path) that the job reads, when not all of it: only these are sent. */
export type SentFiles = Readonly<Record<string, readonly string[]>>;

export interface JobUser {
  uid: number;
  gid: number;
}

const CALLER: JobUser = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };

function runMount(m: StagedMount, user: JobUser): string {
  const { mount } = m;
  if (!mount.readOnly) return `--mount=type=cache,id=lava-${contextName(mount.target)},target=${mount.target},uid=${user.uid},gid=${user.gid}`;
  return `--mount=type=bind,from=${contextName(mount.target)},${m.source ? `source=${m.source},` : ''}target=${mount.target}`;
}

/**
 * The Dockerfile of a job: its command run once, as the calling user (as docker run does), in its
 * workdir, with its mounts and environment; the output folder alone is the result. Secret
 * variables are build secrets, exported by a /bin/sh wrapper that then execs the command unchanged
 * (a secret's `env=` option needs a newer Dockerfile frontend than every engine has).
 */
export function buildkitDockerfile(job: ContainerJob, mounts: readonly StagedMount[], user: JobUser = CALLER): string {
  const names = Object.keys(job.secretEnv);
  const secrets = names.map((name) => `--mount=type=secret,id=${name},uid=${user.uid},gid=${user.gid}`);
  const wrapper = names.length ? ['/bin/sh', '-c', `for n in ${names.join(' ')}; do export "$n=$(cat "/run/secrets/$n")"; done; exec "$@"`, 'sh'] : [];
  const env = Object.entries(job.env);
  return [
    '# A builder-container job as a BuildKit build (tools/executors lib/docker/builder-buildkit.ts).',
    `FROM ${job.image} AS job`,
    `USER ${user.uid}:${user.gid}`,
    // WORKDIR after USER creates the folder as that user, so the job can write it.
    `WORKDIR ${job.output.target}`,
    `WORKDIR ${job.workdir}`,
    ...(env.length ? [`ENV ${env.map(([k, v]) => `${k}=${envValue(v)}`).join(' ')}`] : []),
    `RUN ${[...mounts.map((m) => runMount(m, user)), ...secrets].join(' ')} ${JSON.stringify([...wrapper, ...job.command])}`,
    'FROM scratch',
    `COPY --from=job ${job.output.target} /`,
    '',
  ].join('\n');
}

export interface BuildkitFiles {
  dockerfile: string;
  /** The (empty) main context. */
  context: string;
  mounts: readonly StagedMount[];
}

/** `docker buildx build` of a job's Dockerfile on the builder in use (buildx reads BUILDX_BUILDER); run it with `job.secretEnv` in the environment. */
export function buildkitBuildArgs(job: ContainerJob, files: BuildkitFiles): string[] {
  return [
    'buildx', 'build',
    '--progress=plain',
    // The install asks the index each time, as docker run does; BuildKit's cache would replay an old answer.
    '--no-cache',
    // Attestations would land in the output folder as files.
    '--provenance=false', '--sbom=false',
    `--platform=${job.platform.docker}`,
    '--output', `type=local,dest=${job.output.source}`,
    '-f', files.dockerfile,
    ...files.mounts.flatMap((m) => (m.context ? ['--build-context', `${contextName(m.mount.target)}=${m.context}`] : [])),
    ...Object.keys(job.secretEnv).flatMap((name) => ['--secret', `id=${name},env=${name}`]),
    files.context,
  ];
}

/** Copies into `scratch` what the node needs of each read-only mount: a file, or the `sent` files of a folder; other folders are sent as they are. */
export async function stageMounts(job: ContainerJob, scratch: string, sent: SentFiles = {}): Promise<StagedMount[]> {
  const staged: StagedMount[] = [];
  for (const mount of job.mounts) {
    if (!mount.readOnly) {
      staged.push({ mount });
      continue;
    }
    const isFile = (await stat(mount.source)).isFile();
    const files = sent[mount.target];
    if (!isFile && !files) {
      staged.push({ mount, context: mount.source });
      continue;
    }
    const context = join(scratch, 'contexts', contextName(mount.target));
    await mkdir(context, { recursive: true, mode: 0o755 });
    const copies = isFile ? [[mount.source, basename(mount.source)]] : (files ?? []).map((f) => [join(mount.source, f), f]);
    for (const [from, to] of copies) {
      await mkdir(dirname(join(context, to)), { recursive: true, mode: 0o755 });
      await copyFile(from, join(context, to));
      // Readable by the job's user whatever our umask (a clone built with umask 0077, say).
      await chmod(join(context, to), (await stat(from)).mode & 0o111 ? 0o755 : 0o644);
    }
    staged.push({ mount, context, ...(isFile ? { source: basename(mount.source) } : {}) });
  }
  return staged;
}

/** The `docker buildx build` that runs `job`, its Dockerfile and contexts staged in `scratch`. */
export async function buildkitCommand(job: ContainerJob, scratch: string, sent: SentFiles = {}): Promise<Command> {
  const mounts = await stageMounts(job, scratch, sent);
  const dockerfile = join(scratch, 'Dockerfile');
  const context = join(scratch, 'context');
  await mkdir(context, { recursive: true });
  await writeFile(dockerfile, buildkitDockerfile(job, mounts));
  return { file: 'docker', args: buildkitBuildArgs(job, { dockerfile, context, mounts }) };
}

/**
 * What the job's command printed, from buildx's plain progress (`#9 12.345 <line>`), for the
 * installer's failure reading. A build that failed before the command ran (the node could not
 * pull the image, or went away) is BuildKit's failure, said as such.
 */
export function jobOutput(printed: string, runner: Extract<InstallRunner, { kind: 'buildkit' }>): string {
  const lines = [...printed.matchAll(/^#\d+ \d+\.\d+ (.*)$/gm)].map((m) => m[1]);
  if (/did not complete successfully/.test(printed)) return lines.join('\n');
  const said = /^ERROR: (.*)$/m.exec(printed)?.[1] ?? printed.trim().split('\n').pop() ?? '';
  throw new BuildError(`the BuildKit build on ${runner.builder} (node ${runner.node}) failed before the job ran: ${said}`, {
    fix: `docker buildx inspect --bootstrap ${runner.builder} (every node up, and reaching the registry the image is in?), or ${INSTALL_RUNNER_ENV}=docker to run it here`,
    detail: tail(printed),
    detailShown: true,
  });
}

/**
 * Runs `use` with what turns a job into the command that runs it on `runner` (`sent`: see
 * SentFiles), and how to read that command's output as the job's own (BuildKit's files live in a
 * scratch folder, removed after).
 */
export async function withJobRunner<T>(
  runner: InstallRunner,
  use: (toCommand: (job: ContainerJob, sent?: SentFiles) => Promise<Command>, outputOf?: (printed: string) => string) => Promise<T>,
): Promise<T> {
  if (runner.kind === 'docker') return use(async (job) => ({ file: 'docker', args: jobRunArgs(job) }));
  return withTempDir('lava-buildkit-job', (scratch) =>
    use(
      (job, sent) => buildkitCommand(job, scratch, sent),
      (printed) => jobOutput(printed, runner),
    ),
  );
}
