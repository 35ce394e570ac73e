import { lavaExecutor } from '../../lib/core/executor';
import { ensurePythonEnv } from '../../lib/python/python-env';
import type { PythonEnvExecutorSchema } from './schema';

export default lavaExecutor<PythonEnvExecutorSchema>(async (options, context) => {
  const env = await ensurePythonEnv({ workspaceRoot: context.root, ...options });
  console.log(env.upToDate ? `Python environment ${env.venv} is up to date (${env.interpreter}).` : `Python environment ready at ${env.venv}.`);
});
