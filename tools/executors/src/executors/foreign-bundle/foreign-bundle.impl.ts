import { lavaExecutor } from '../../lib/core/executor';
import { buildForeignBundle } from '../../lib/python/foreign-bundle';
import type { ForeignBundleExecutorSchema } from './schema';

export default lavaExecutor<ForeignBundleExecutorSchema>(async (options, context) => {
  const bundle = await buildForeignBundle(options, context);
  console.log(`${bundle.file} (${bundle.entries} entries)`);
});
