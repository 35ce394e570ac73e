import { lavaExecutor } from '../../lib/core/executor';
import { buildImage } from '../../lib/images/build-image';
import type { DockerImageExecutorSchema } from './schema';

export default lavaExecutor<DockerImageExecutorSchema>(async (options, context) => {
  const record = await buildImage({ workspaceRoot: context.root, ...options });
  console.log(`Pushed ${record.tags.join(', ')} (${record.platforms.join(', ')}) as ${record.digest}`);
});
