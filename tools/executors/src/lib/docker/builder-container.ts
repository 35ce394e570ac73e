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

export function containerRunArgs(c: Container, output: string | undefined, command: readonly string[], env: Record<string, string> = {}): string[] {
  return dockerRunArgs({
    image: c.image,
    platform: c.platform,
    uid: process.getuid?.() ?? 0,
    gid: process.getgid?.() ?? 0,
    mounts: [[c.workspace, WORKSPACE_MOUNT], ...(output ? [[output, OUTPUT_MOUNT] as const] : [])],
    workdir: WORKSPACE_MOUNT,
    envFromHost: PIP_ENV.filter((name) => name === 'PIP_INDEX_URL' || process.env[name] !== undefined),
    // A UID with no passwd entry gets HOME=/, which pip cannot write its cache to.
    env: { HOME: '/tmp', PIP_NO_CACHE_DIR: '1', PIP_ROOT_USER_ACTION: 'ignore', ...env },
    command,
  });
}

const PROBE = 'import platform, sys; print(open("/etc/os-release").read()); print("PY=%d.%d" % sys.version_info[:2]); print("ARCH=" + platform.machine())';

/** What the container is: `<ID><major>`, Python X.Y and `uname -m`, asked inside it. */
export async function containerRuntime(c: Container): Promise<MachineRuntime> {
  const { stdout } = await run('docker', containerRunArgs(c, undefined, ['python3', '-c', PROBE]), { stream: false, label: `probing ${c.image.split('@')[0]}` });
  const python = /^PY=(\d+\.\d+)$/m.exec(stdout)?.[1];
  const arch = /^ARCH=(\S+)$/m.exec(stdout)?.[1];
  if (!python || !arch) throw new BuildError(`${c.image} did not say its Python and arch`, { detail: stdout });
  const platform = platformOf(arch);
  if (platform.docker !== c.platform.docker) {
    throw new BuildError(`${c.image} ran as ${platform.docker}, not ${c.platform.docker}`, { fix: `${ENGINE_SCRIPT} status (is qemu registered for binfmt?)` });
  }
  const os = osFromOsRelease(stdout);
  return { os, python, runtime: runtimeName(os, python), platform };
}
