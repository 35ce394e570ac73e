import { ecrClient, ECR_DEFAULT_PREFIX, ensureRepository, LIFECYCLE_POLICY_FILE, readLifecyclePolicy } from '../../lib/images/ecr';
import { lavaExecutor } from '../../lib/core/executor';
import { checkOs, DOCKER_ROOT, imageRepository } from '../../lib/images/build';
import { imageTypes } from '../../lib/images/image-type';
import type { DockerEcrRepoExecutorSchema } from './schema';

export default lavaExecutor<DockerEcrRepoExecutorSchema>(async (options, context) => {
  const dockerRoot = options.dockerRoot ?? DOCKER_ROOT;
  checkOs(context.root, options.os, dockerRoot);
  const policy = readLifecyclePolicy(context.root, dockerRoot);
  const prefix = options.prefix ?? ECR_DEFAULT_PREFIX;
  const client = ecrClient({ region: options.region, endpoint: options.endpoint });
  for (const type of imageTypes(options.types)) {
    const repo = await ensureRepository(client, imageRepository(options.os, type, prefix), policy, options.endpoint);
    console.log(`${repo.created ? 'Created' : 'Kept'} ${repo.uri}; lifecycle policy set from ${dockerRoot}/${LIFECYCLE_POLICY_FILE}`);
  }
});
