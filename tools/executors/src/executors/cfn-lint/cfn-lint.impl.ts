import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cfnPaths } from '../../lib/cfn/template';
import { formatFindings, lintVerdict, parseLintReport, type LintLevel } from '../../lib/cfn/lint';
import { BuildError } from '../../lib/core/errors';
import { lavaExecutor, projectRoot } from '../../lib/core/executor';
import { run } from '../../lib/core/process';
import { pythonTool } from '../../lib/python/venv';
import type { CfnLintExecutorSchema } from './schema';

const LEVELS: readonly LintLevel[] = ['error', 'warning', 'informational'];

export default lavaExecutor<CfnLintExecutorSchema>(async (options, context) => {
  const failOn = options.failOn ?? 'error';
  if (!LEVELS.includes(failOn)) throw new BuildError(`failOn must be one of ${LEVELS.join(', ')}, got "${failOn as string}"`);
  const { outputDir, files } = cfnPaths(context.root, options.sourceDir ?? projectRoot(context), options.outputPath ?? 'dist/cfn');
  const cfnLint = pythonTool(context.root, 'cfn-lint');
  const built = files.map((file) => relative(context.root, join(outputDir, file)));
  const missing = built.find((path) => !existsSync(join(context.root, path)));
  if (missing) throw new BuildError(`${missing} is not built`, { fix: `npx nx run ${context.projectName}:build` });
  // The JSON report, whatever the findings: the verdict is ours, so warnings can be shown without failing.
  const { stdout } = await run(cfnLint, ['--format', 'json', '--non-zero-exit-code', 'none', '--', ...built], {
    cwd: context.root,
    stream: false,
    label: 'cfn-lint',
  });
  const findings = parseLintReport(stdout);
  for (const line of formatFindings(findings)) console.log(line);
  const verdict = lintVerdict(findings, failOn, built.length);
  if (verdict.fatal.length > 0) throw new BuildError(verdict.summary);
  console.log(verdict.summary);
});
