import { lavaExecutor } from '../../lib/core/executor';
import { pushImages } from '../../lib/images/push';
import type { DockerPushExecutorSchema } from './schema';

export default lavaExecutor<DockerPushExecutorSchema>(async (options, context) => {
  await pushImages({ workspaceRoot: context.root, ...options, onPushed: (tags) => console.log(`Pushed ${tags.join(', ')}`) });
});
