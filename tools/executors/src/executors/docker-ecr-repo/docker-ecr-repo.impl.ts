import { ecrClient, ECR_DEFAULT_PREFIX, ensureRepository } from '../../lib/images/ecr';
import { lavaExecutor } from '../../lib/core/executor';
import { checkOs, DOCKER_ROOT, imageRepository } from '../../lib/images/build';
import { imageTypes } from '../../lib/images/image-type';
import type { DockerEcrRepoExecutorSchema } from './schema';

export default lavaExecutor<DockerEcrRepoExecutorSchema>(async (options, context) => {
  checkOs(context.root, options.os, options.dockerRoot ?? DOCKER_ROOT);
  const prefix = options.prefix ?? ECR_DEFAULT_PREFIX;
  const client = ecrClient({ region: options.region, endpoint: options.endpoint });
  for (const type of imageTypes(options.types)) {
    const repo = await ensureRepository(client, imageRepository(options.os, type, prefix), options.endpoint);
    console.log(`${repo.created ? 'Created' : 'Kept'} ${repo.uri}; lifecycle policy set (untagged: 1 day, keep 4)`);
  }
});
