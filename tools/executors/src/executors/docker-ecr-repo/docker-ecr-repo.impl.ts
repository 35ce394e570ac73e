import { lavaExecutor } from '../../lib/core/executor';
import { DOCKER_ROOT } from '../../lib/images/build';
import { LIFECYCLE_POLICY_FILE } from '../../lib/images/ecr';
import { ensureImageRepositories } from '../../lib/images/ecr-repositories';
import type { DockerEcrRepoExecutorSchema } from './schema';

export default lavaExecutor<DockerEcrRepoExecutorSchema>(async (options, context) => {
  const policy = `${options.dockerRoot ?? DOCKER_ROOT}/${LIFECYCLE_POLICY_FILE}`;
  await ensureImageRepositories({
    workspaceRoot: context.root,
    ...options,
    onEnsured: (repo) => console.log(`${repo.created ? 'Created' : 'Kept'} ${repo.uri}; lifecycle policy set from ${policy}`),
  });
});
