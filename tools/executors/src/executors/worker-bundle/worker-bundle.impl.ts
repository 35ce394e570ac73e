import { relative } from 'node:path';
import { lavaExecutor, projectRoot } from '../../lib/core/executor';
import { buildWorkerBundle } from '../../lib/python/worker-bundle';
import type { WorkerBundleExecutorSchema } from './schema';

export default lavaExecutor<WorkerBundleExecutorSchema>(async (options, context) => {
  const bundle = await buildWorkerBundle(options, context.root, relative(context.root, projectRoot(context)));
  console.log(`${bundle.file} (${bundle.entries} entries)`);
});
