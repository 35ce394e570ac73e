import { existsSync } from 'node:fs';
import { symlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { checkEngine } from '../../lib/docker/cli';
import { ecrClient, ECR_DEFAULT_PREFIX, ecrLogin } from '../../lib/images/ecr';
import { lavaExecutor } from '../../lib/core/executor';
import { withTempDir } from '../../lib/core/fs';
import { builtImage, checkOs, copyImage, DOCKER_ROOT, IMAGE_TYPES, type ImageType } from '../../lib/images/build';
import type { DockerEcrPushExecutorSchema } from './schema';
import { imageProject, nxRun } from '../../lib/workspace/project-names';

export default lavaExecutor<DockerEcrPushExecutorSchema>(async (options, context) => {
  checkOs(context.root, options.os, options.dockerRoot ?? DOCKER_ROOT);
  const prefix = options.prefix ?? ECR_DEFAULT_PREFIX;
  const types = (options.types ?? IMAGE_TYPES) as ImageType[];
  // Nothing to push is found out before logging in to anything.
  for (const type of types) await builtImage(context.root, options.os, type);
  await checkEngine();
  const login = await ecrLogin(ecrClient({ region: options.region, endpoint: options.endpoint }), options.endpoint);
  const registry = options.registry ?? login.host;
  const secrets = [login.password, login.auth];
  // The token goes into a throwaway docker config rather than `docker login`: it never
  // touches argv or the user's ~/.docker, and is gone when the push is done.
  await withTempDir('lava-ecr', async (config) => {
    await writeFile(join(config, 'config.json'), JSON.stringify({ auths: { [registry]: { auth: login.auth } } }), { mode: 0o600 });
    const plugins = join(process.env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'cli-plugins');
    if (existsSync(plugins)) await symlink(plugins, join(config, 'cli-plugins'));
    for (const type of types) {
      const pushed = await copyImage(context.root, options.os, type, {
        registry,
        prefix,
        env: { DOCKER_CONFIG: config },
        secrets,
        fix: `check the ECR repositories exist (${nxRun(imageProject(options.os), 'ecr-repo')}) and the credentials may push to them`,
      });
      console.log(`Pushed ${pushed.join(', ')}`);
    }
  });
});
