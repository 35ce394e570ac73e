import { lavaExecutor } from '../../lib/core/executor';
import { verifyReproducible } from '../../lib/verify/verify';
import type { VerifyReproducibleExecutorSchema } from './schema';

export default lavaExecutor<VerifyReproducibleExecutorSchema>(async (options, context) => {
  await verifyReproducible(context.root, options);
});
