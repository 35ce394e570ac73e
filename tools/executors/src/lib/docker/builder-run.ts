// The platform-specific part of a build, run in a builder container (builder-container.ts):
// the install job of install-job.ts (uv or pip, `--target`), wrapped in `docker run`.
import { join } from 'node:path';
import { secretsOfUrl } from '../core/redact';
import { run } from '../core/process';
import { checkIndexProbe, INDEX_PROBE } from '../python/index-probe';
import { pipIndexEnv, requirementList } from '../python/pip';
import { runInstall } from '../python/pip-install';
import { hostPlatform } from '../python/host-runtime';
import { containerRunArgs, jobRunArgs, type Container } from './builder-container';
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

export async function installInContainer(i: ContainerInstall): Promise<void> {
  await checkContainerIndex(i, i.indexUrl);
  const installer = i.installer ?? 'uv';
  const { job, secrets } = await prepareInstall(i);
  const files = requirementList(i.requirements);
  await runInstall(
    { file: 'docker', args: jobRunArgs(job) },
    {
      indexUrl: i.indexUrl,
      installer,
      requirements: files,
      requirementsOnHost: files.map((f) => join(i.workspace, f)),
      run: { env: job.secretEnv, secrets, label: `${installer} in ${i.image.split('@')[0]} (${i.platform.docker})` },
    },
  );
}
