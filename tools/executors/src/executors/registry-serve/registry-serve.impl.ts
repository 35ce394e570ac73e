import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lavaExecutor } from '../../lib/core/executor';
import { BuildError } from '../../lib/core/errors';
import { buildCacheDir } from '../../lib/core/build-cache-dir';
import { ENGINE_SCRIPT } from '../../lib/docker/cli';
import { registryAnswers } from '../../lib/docker/registry';
import { REGISTRY_ADDRESS, REGISTRY_HOST, REGISTRY_URL } from '../../lib/docker/registry-address';
import { onPath, run } from '../../lib/core/process';
import { registryConfig } from '../../lib/docker/registry-config';
import type { RegistryServeExecutorSchema } from './schema';

export default lavaExecutor<RegistryServeExecutorSchema>(async (options) => {
  if (await registryAnswers()) {
    console.log(`A registry already answers at ${REGISTRY_URL}: using it (this task stays up until stopped).`);
    await new Promise<never>(() => setInterval(() => undefined, 1 << 30));
  }
  const home = join(buildCacheDir(), 'registry');
  const storage = options.storage ?? join(home, 'data');
  await mkdir(storage, { recursive: true });
  if (onPath('docker-registry')) {
    const config = join(home, 'serve.yml');
    await writeFile(config, registryConfig(storage));
    console.log(`Serving a registry at ${REGISTRY_URL} (storage ${storage}).`);
    // A server is silent by nature: no 'still running' lines.
    await run('docker-registry', ['serve', config], { label: 'docker-registry', heartbeatMs: 0 });
  } else if (onPath('docker')) {
    console.log(`Serving a registry at ${REGISTRY_URL} in a registry:2 container (storage: the volume lava-registry).`);
    await run('docker', ['run', '--rm', '--name', 'lava-registry', '-p', `${REGISTRY_ADDRESS}:5000`, '-v', 'lava-registry:/var/lib/registry', 'registry:2'], {
      label: 'docker run registry:2',
      heartbeatMs: 0,
    });
  } else {
    throw new BuildError(`no registry answers on ${REGISTRY_HOST} and neither docker-registry nor docker is installed`, {
      fix: `apt-get install docker-registry (or ${ENGINE_SCRIPT} up)`,
    });
  }
  throw new BuildError('the registry stopped', { fix: 'npx nx run registry:serve' });
});
