// The platform-specific part of a build, run in a builder container (builder-container.ts):
// the install job of install-job.ts (uv or pip, `--target`), wrapped in `docker run`, or in a
// BuildKit build on the builder in use (builder-buildkit.ts).
import { join } from 'node:path';
import { secretsOfUrl } from '../core/redact';
import { run } from '../core/process';
import { checkIndexProbe, INDEX_PROBE } from '../python/index-probe';
import { pipIndexEnv, requirementList } from '../python/pip';
import { runInstall } from '../python/pip-install';
import { hostPlatform } from '../python/host-runtime';
import { requirementFileClosure } from '../python/requirement-files';
import { installRunner, withJobRunner, type InstallRunner } from './builder-buildkit';
import { containerRunArgs, WORKSPACE_MOUNT, type Container } from './builder-container';
import { prepareInstall, type ContainerInstall } from './install-job';

export type { ContainerInstall } from './install-job';

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
    ({ stdout } = await run('docker', containerRunArgs(native, ['python3', '-c', INDEX_PROBE]), {
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
  const installer = i.installer ?? 'uv';
  const { job, secrets } = await prepareInstall(i);
  const files = requirementList(i.requirements);
  // Of the workspace, a BuildKit node is sent only what the install reads.
  const sent = { [WORKSPACE_MOUNT]: [...requirementFileClosure(i.workspace, files), ...(i.buildConstraints ? [i.buildConstraints] : [])] };
  await withJobRunner(where, async (toCommand, installerOutput) =>
    runInstall(await toCommand(job, sent), {
      indexUrl: i.indexUrl,
      installer,
      requirements: files,
      requirementsOnHost: files.map((f) => join(i.workspace, f)),
      installerOutput,
      run: { env: job.secretEnv, secrets, label: `${installer} in ${i.image.split('@')[0]} (${i.platform.docker}${where.kind === 'buildkit' ? ` on ${where.node}` : ''})` },
    }),
  );
}
