import { lavaExecutor } from '../../lib/core/executor';
import { pushImagesToEcr } from '../../lib/images/push';
import type { DockerEcrPushExecutorSchema } from './schema';

export default lavaExecutor<DockerEcrPushExecutorSchema>(async (options, context) => {
  await pushImagesToEcr({ workspaceRoot: context.root, ...options, onPushed: (tags) => console.log(`Pushed ${tags.join(', ')}`) });
});
