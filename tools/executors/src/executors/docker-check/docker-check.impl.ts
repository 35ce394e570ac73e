import { lavaExecutor } from '../../lib/core/executor';
import { checkImages } from '../../lib/images/check-images';
import type { DockerCheckExecutorSchema } from './schema';

export default lavaExecutor<DockerCheckExecutorSchema>(async (options, context) => {
  await checkImages({ workspaceRoot: context.root, ...options });
});
