// The platform-specific part of a build, run in a builder container: `pip install
// --target` (python/pip-install.ts, wrapped in `docker run`), and what the container
// says it is (its OS, Python and arch name the artefacts, as make's sub-make did).
import { dockerRunArgs, ENGINE_SCRIPT, PIP_ENV } from './cli';
import { BuildError } from '../core/errors';
import { join } from 'node:path';
import { checkIndexProbe, INDEX_PROBE } from '../python/index-probe';
import { pipIndexEnv, requirementList } from '../python/pip';
import { installRequirements } from '../python/pip-install';
import { secretsOfUrl } from '../core/redact';
import { platformOf, type Platform } from '../core/platform';
import { hostPlatform } from '../python/host-runtime';
import { osFromOsRelease, runtimeName, type MachineRuntime } from '../python/runtime';
import { run } from '../core/process';

export const WORKSPACE_MOUNT = '/lava/build';
export const OUTPUT_MOUNT = '/lava/out';

export interface Container {
  workspace: string;
  /** `<repo>@sha256:…` */
  image: string;
  platform: Platform;
}

function runArgs(c: Container, output: string | undefined, command: readonly string[], env: Record<string, string> = {}): string[] {
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

export interface ContainerInstall extends Container {
  /** Workspace-relative requirement files, resolved together. */
  requirements: string | readonly string[];
  /**
   * Workspace-relative constraints for the builds of sdists. The builder's pip is whatever its
   * image has, so they travel as PIP_BUILD_CONSTRAINT, which pip 25.3 and later read and older
   * pips ignore (an unknown option on the command line would fail them).
   */
  buildConstraints?: string;
  /** Host directory the packages land in (mounted as /lava/out). */
  output: string;
  indexUrl: string;
}

/**
 * Fails in seconds, naming the index, when the container cannot reach it (before pip's minutes
 * of retries). The network does not depend on the platform: the probe runs the image for the
 * host's platform, since Python under emulation can take longer to start than the probe waits.
 * A probe that cannot run at all gives no verdict and leaves it to pip.
 */
export async function checkContainerIndex(c: Container, indexUrl: string): Promise<void> {
  const native = { ...c, platform: hostPlatform() };
  const name = `${c.image.split('@')[0]}`;
  let stdout: string;
  try {
    ({ stdout } = await run('docker', runArgs(native, undefined, ['python3', '-c', INDEX_PROBE]), {
      stream: false,
      env: pipIndexEnv(indexUrl),
      secrets: secretsOfUrl(indexUrl),
      label: `probing the package index from ${name}`,
    }));
  } catch {
    return;
  }
  checkIndexProbe(stdout, indexUrl, `a container of ${name}`);
}

export async function installInContainer(i: ContainerInstall): Promise<void> {
  await checkContainerIndex(i, i.indexUrl);
  const files = requirementList(i.requirements);
  const env: Record<string, string> = i.buildConstraints ? { PIP_BUILD_CONSTRAINT: `${WORKSPACE_MOUNT}/${i.buildConstraints}` } : {};
  await installRequirements({
    python: 'python3',
    requirements: files.map((f) => `${WORKSPACE_MOUNT}/${f}`),
    requirementsShownAs: files,
    requirementsOnHost: files.map((f) => join(i.workspace, f)),
    target: OUTPUT_MOUNT,
    indexUrl: i.indexUrl,
    passIndex: true,
    wrap: (command) => ({ file: 'docker', args: runArgs(i, i.output, [command.file, ...command.args], env) }),
    run: { label: `pip in ${i.image.split('@')[0]} (${i.platform.docker})` },
  });
}

const PROBE = 'import platform, sys; print(open("/etc/os-release").read()); print("PY=%d.%d" % sys.version_info[:2]); print("ARCH=" + platform.machine())';

/** What the container is: `<ID><major>`, Python X.Y and `uname -m`, asked inside it. */
export async function containerRuntime(c: Container): Promise<MachineRuntime> {
  const { stdout } = await run('docker', runArgs(c, undefined, ['python3', '-c', PROBE]), { stream: false, label: `probing ${c.image.split('@')[0]}` });
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
