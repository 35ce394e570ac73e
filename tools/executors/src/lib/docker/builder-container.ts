// A builder container: how one runs (the workspace mounted read-only at /lava/build, an output
// folder at /lava/out, as the calling user, pip's settings passed by name), and what it says it
// is (its OS, Python and arch name the artefacts, as make's sub-make did).
import { BuildError } from '../core/errors';
import { platformOf, type Platform } from '../core/platform';
import { run } from '../core/process';
import { osFromOsRelease, runtimeName, type MachineRuntime } from '../python/runtime';
import { dockerRunArgs, ENGINE_SCRIPT, PIP_ENV } from './cli';

export const WORKSPACE_MOUNT = '/lava/build';
export const OUTPUT_MOUNT = '/lava/out';

export interface Container {
  workspace: string;
  /** `<repo>@sha256:…` */
  image: string;
  platform: Platform;
}

/**
 * A folder (or file) a job's container sees. `read`: only read, so a BuildKit build is sent it
 * as a named context (only `files` of it, when given); `output`: what the job produces, landing
 * on the host; `cache`: read and written across jobs (a BuildKit node keeps its own).
 */
export interface JobMount {
  host: string;
  path: string;
  use: 'read' | 'output' | 'cache';
  /** For a `read` folder: the files under it (relative) the command reads, when not all of it. */
  files?: readonly string[];
}

/**
 * One command in a builder container, as data: the docker-run path (jobRunArgs) and the BuildKit
 * path (builder-buildkit.ts) both run exactly this, so they cannot drift apart.
 */
export interface ContainerJob {
  /** `<repo>@sha256:…` */
  image: string;
  platform: Platform;
  uid: number;
  gid: number;
  mounts: readonly JobMount[];
  workdir: string;
  /** Passed by name, values from our environment (they may hold credentials). */
  envFromHost: readonly string[];
  /** Fixed values, never secrets. */
  env: Readonly<Record<string, string>>;
  command: readonly string[];
}

export interface JobOptions {
  /** Host folder mounted at OUTPUT_MOUNT. */
  output?: string;
  command: readonly string[];
  env?: Record<string, string>;
  /** The workspace files (relative) the command reads, when not all of them. */
  reads?: readonly string[];
}

/** The builder container's job: the workspace at WORKSPACE_MOUNT, the output at OUTPUT_MOUNT, as the calling user, pip's settings by name. */
export function containerJob(c: Container, o: JobOptions): ContainerJob {
  return {
    image: c.image,
    platform: c.platform,
    uid: process.getuid?.() ?? 0,
    gid: process.getgid?.() ?? 0,
    mounts: [
      { host: c.workspace, path: WORKSPACE_MOUNT, use: 'read', ...(o.reads ? { files: o.reads } : {}) },
      ...(o.output ? [{ host: o.output, path: OUTPUT_MOUNT, use: 'output' as const }] : []),
    ],
    workdir: WORKSPACE_MOUNT,
    envFromHost: PIP_ENV.filter((name) => name === 'PIP_INDEX_URL' || process.env[name] !== undefined),
    // A UID with no passwd entry gets HOME=/, which pip cannot write its cache to.
    env: { HOME: '/tmp', PIP_NO_CACHE_DIR: '1', PIP_ROOT_USER_ACTION: 'ignore', ...(o.env ?? {}) },
    command: o.command,
  };
}

/** `docker run` of a job. */
export function jobRunArgs(job: ContainerJob): string[] {
  return dockerRunArgs({ ...job, mounts: job.mounts.map((m) => [m.host, m.path] as const) });
}

export function containerRunArgs(c: Container, output: string | undefined, command: readonly string[], env: Record<string, string> = {}): string[] {
  return jobRunArgs(containerJob(c, { output, command, env }));
}

const PROBE = 'import platform, sys; print(open("/etc/os-release").read()); print("PY=%d.%d" % sys.version_info[:2]); print("ARCH=" + platform.machine())';

/**
 * What the container is: `<ID><major>`, Python X.Y and `uname -m`, asked inside it. With `askOn`,
 * the image is asked on that platform instead (one the engine runs natively) while the job runs
 * elsewhere on `c.platform` (a BuildKit node): a builder's OS and Python are the same on every
 * platform of its index, and BuildKit runs the image of the platform it is asked for, or fails.
 */
export async function containerRuntime(c: Container, askOn?: Platform): Promise<MachineRuntime> {
  const asked = { ...c, platform: askOn ?? c.platform };
  const { stdout } = await run('docker', containerRunArgs(asked, undefined, ['python3', '-c', PROBE]), { stream: false, label: `probing ${c.image.split('@')[0]}` });
  const python = /^PY=(\d+\.\d+)$/m.exec(stdout)?.[1];
  const arch = /^ARCH=(\S+)$/m.exec(stdout)?.[1];
  if (!python || !arch) throw new BuildError(`${c.image} did not say its Python and arch`, { detail: stdout });
  const platform = platformOf(arch);
  if (platform.docker !== asked.platform.docker) {
    throw new BuildError(`${c.image} ran as ${platform.docker}, not ${asked.platform.docker}`, { fix: `${ENGINE_SCRIPT} status (is qemu registered for binfmt?)` });
  }
  const os = osFromOsRelease(stdout);
  return { os, python, runtime: runtimeName(os, python), platform: c.platform };
}
