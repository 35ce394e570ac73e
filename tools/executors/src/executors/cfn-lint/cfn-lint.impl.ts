import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cfnPaths } from '../../lib/cfn';
import { BuildError, isBuildError } from '../../lib/errors';
import { lavaExecutor, projectRoot } from '../../lib/executor';
import { run } from '../../lib/process';
import { pythonTool } from '../../lib/python';
import type { CfnLintExecutorSchema } from './schema';

export default lavaExecutor<CfnLintExecutorSchema>(async (options, context) => {
  const { outputDir, files } = cfnPaths(context.root, options.sourceDir ?? projectRoot(context), options.outputPath ?? 'dist/cfn');
  const cfnLint = pythonTool(context.root, 'cfn-lint');
  const built = files.map((file) => relative(context.root, join(outputDir, file)));
  const missing = built.find((path) => !existsSync(join(context.root, path)));
  if (missing) throw new BuildError(`${missing} is not built`, { fix: `npx nx run ${context.projectName}:build` });
  try {
    await run(cfnLint, ['--non-zero-exit-code', options.failOn ?? 'warning', '--', ...built], { cwd: context.root, label: 'cfn-lint' });
  } catch (error) {
    // cfn-lint has already printed its findings (file:line:column each); one line sums up.
    if (isBuildError(error)) throw new BuildError(`cfn-lint found problems in ${built.join(', ')}`);
    throw error;
  }
  console.log(`cfn-lint: ${built.length} templates clean`);
});
