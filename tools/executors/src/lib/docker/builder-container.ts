// A builder container: how one runs (the workspace mounted read-only at /lava/build, an output
// folder at /lava/out, as the calling user, secrets passed by name), a step in it as data (a
// ContainerJob), and what it says it is (its OS, Python and arch name the artefacts, as make's
// sub-make did).
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

export interface JobMount {
  /** Host path. */
  source: string;
  /** Path in the container. */
  target: string;
  readOnly: boolean;
}

/**
 * One step run in a builder container, as data: `docker run` here (jobRunArgs), and any other
 * runner (a BuildKit build of the same image) executes the identical command from it.
 */
export interface ContainerJob {
  /** `<repo>@sha256:…` */
  image: string;
  platform: Platform;
  workdir: string;
  /** The workspace (read-only) and whatever the command needs besides; not the output. */
  mounts: JobMount[];
  /** Values that may be shown (paths, switches). */
  env: Record<string, string>;
  /** Values that must never reach an argv, a log or an image (index URLs may carry credentials): passed by name. */
  secretEnv: Record<string, string>;
  command: string[];
  /** The folder the step writes its result to: a host folder, and where the command sees it. */
  output: { source: string; target: string };
}

/** `docker run` of a job, as the calling user, so every file it writes on a mount is the user's; run it with `job.secretEnv` in the environment. */
export function jobRunArgs(job: ContainerJob): string[] {
  return dockerRunArgs({
    image: job.image,
    platform: job.platform,
    uid: process.getuid?.() ?? 0,
    gid: process.getgid?.() ?? 0,
    mounts: [
      ...job.mounts.map((m) => (m.readOnly ? ([m.source, m.target, 'ro'] as const) : ([m.source, m.target] as const))),
      [job.output.source, job.output.target],
    ],
    workdir: job.workdir,
    envFromHost: Object.keys(job.secretEnv),
    env: job.env,
    command: job.command,
  });
}

/** The workspace, read-only, and a home: what every step in a builder container gets. */
export function containerBase(c: Container): Pick<ContainerJob, 'image' | 'platform' | 'workdir' | 'mounts' | 'env'> {
  // A UID with no passwd entry gets HOME=/, which pip cannot write its cache to.
  return { image: c.image, platform: c.platform, workdir: WORKSPACE_MOUNT, mounts: [{ source: c.workspace, target: WORKSPACE_MOUNT, readOnly: true }], env: { HOME: '/tmp' } };
}

/** A short command in the container (a probe): pip's index settings by name, nothing written back. */
export function containerRunArgs(c: Container, command: readonly string[]): string[] {
  const base = containerBase(c);
  return dockerRunArgs({
    ...base,
    uid: process.getuid?.() ?? 0,
    gid: process.getgid?.() ?? 0,
    mounts: base.mounts.map((m) => [m.source, m.target, 'ro'] as const),
    envFromHost: PIP_ENV.filter((name) => name === 'PIP_INDEX_URL' || process.env[name] !== undefined),
    command,
  });
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
  const { stdout } = await run('docker', containerRunArgs(asked, ['python3', '-c', PROBE]), { stream: false, label: `probing ${c.image.split('@')[0]}` });
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
