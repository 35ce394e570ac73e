import { relative } from 'node:path';
import { lavaExecutor, projectRoot } from '../../lib/core/executor';
import { previewGuide } from '../../lib/docs/preview';
import type { MkdocsServeExecutorSchema } from './schema';

export default lavaExecutor<MkdocsServeExecutorSchema>(async (options, context) => {
  await previewGuide(context.root, relative(context.root, projectRoot(context)), options);
});
