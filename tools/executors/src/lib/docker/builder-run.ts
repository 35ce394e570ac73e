// The platform-specific part of a build, run in a builder container (builder-container.ts):
// `pip install --target` (python/pip-install.ts, wrapped in `docker run`, or in a BuildKit build
// on the builder in use: builder-buildkit.ts).
import { join } from 'node:path';
import { secretsOfUrl } from '../core/redact';
import { run } from '../core/process';
import { checkIndexProbe, INDEX_PROBE } from '../python/index-probe';
import { pipIndexEnv, requirementList } from '../python/pip';
import { installRequirements } from '../python/pip-install';
import { hostPlatform } from '../python/host-runtime';
import { requirementFileClosure } from '../python/requirement-files';
import { installRunner, withJobRunner, type InstallRunner } from './builder-buildkit';
import { containerJob, containerRunArgs, OUTPUT_MOUNT, WORKSPACE_MOUNT, type Container } from './builder-container';

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
    ({ stdout } = await run('docker', containerRunArgs(native, undefined, ['python3', '-c', INDEX_PROBE]), {
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

/** `runner`: where the install runs (builder-buildkit.ts installRunner), when the caller has decided. */
export async function installInContainer(i: ContainerInstall, runner?: InstallRunner): Promise<void> {
  const where = runner ?? (await installRunner(i.platform, hostPlatform()));
  // The probe asks from here: a BuildKit node's network is its own, and the installer's failure says enough.
  if (where.kind === 'docker') await checkContainerIndex(i, i.indexUrl);
  const files = requirementList(i.requirements);
  const env: Record<string, string> = i.buildConstraints ? { PIP_BUILD_CONSTRAINT: `${WORKSPACE_MOUNT}/${i.buildConstraints}` } : {};
  // Of the workspace, a BuildKit node is sent only what the install reads.
  const sent = { [WORKSPACE_MOUNT]: [...requirementFileClosure(i.workspace, files), ...(i.buildConstraints ? [i.buildConstraints] : [])] };
  await withJobRunner(where, (toCommand, installerOutput) => installRequirements({
    python: 'python3',
    requirements: files.map((f) => `${WORKSPACE_MOUNT}/${f}`),
    requirementsShownAs: files,
    requirementsOnHost: files.map((f) => join(i.workspace, f)),
    target: OUTPUT_MOUNT,
    indexUrl: i.indexUrl,
    passIndex: true,
    wrap: (command) => toCommand(containerJob(i, { output: i.output, command: [command.file, ...command.args], env, indexUrl: i.indexUrl }), sent),
    installerOutput,
    run: { label: `pip in ${i.image.split('@')[0]} (${i.platform.docker}${where.kind === 'buildkit' ? ` on ${where.node}` : ''})` },
  }));
}
