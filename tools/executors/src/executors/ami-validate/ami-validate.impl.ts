import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packerValidateArgs, requiredVariables } from '../../lib/release/ami';
import { BuildError } from '../../lib/core/errors';
import { lavaExecutor, projectRoot } from '../../lib/core/executor';
import { run } from '../../lib/core/process';
import type { AmiValidateExecutorSchema } from './schema';

export const PACKER_HINT = 'apt-get install packer';

export default lavaExecutor<AmiValidateExecutorSchema>(async (options, context) => {
  const dir = projectRoot(context);
  const template = options.template ?? 'lava-ami.json';
  const shown = join(relative(context.root, dir), template);
  if (!existsSync(join(dir, template))) throw new BuildError(`${shown} does not exist`);
  let required: string[];
  try {
    required = requiredVariables(readFileSync(join(dir, template), 'utf8'));
  } catch (error) {
    throw new BuildError(`${shown} is not JSON: ${(error as Error).message}`);
  }
  const version = await run('packer', ['version'], { stream: false, missingHint: PACKER_HINT });
  // Not streamed: on success packer says nothing useful; on failure its message is the error's detail.
  await run('packer', packerValidateArgs(required, template), { cwd: dir, label: 'packer validate', stream: false, fullOutput: true });
  console.log(`${shown}: valid (${version.stdout.trim()}; stand-in values for ${required.length} required variables: ${required.join(', ')}).`);
});
