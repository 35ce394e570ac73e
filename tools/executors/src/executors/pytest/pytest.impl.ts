import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { BuildError } from '../../lib/core/errors';
import { lavaExecutor, projectRoot } from '../../lib/core/executor';
import { PYTEST_NO_TESTS, pytestPlan } from '../../lib/python/pytest';
import { pythonTool } from '../../lib/python/venv';
import type { PytestExecutorSchema } from './schema';

export default lavaExecutor<PytestExecutorSchema>(async (options, context) => {
  const treeDir = projectRoot(context);
  const coverageDir = options.coverage ? join(context.root, options.outputPath ?? 'dist/test') : undefined;
  const plan = pytestPlan({ treeDir, testDir: options.testDir, parallel: options.parallel, coverageDir });
  if (plan.kind === 'none') {
    console.log(`${context.projectName}: ${plan.reason}.`);
    return;
  }
  const python = pythonTool(context.root, 'python');
  if (coverageDir) await rm(coverageDir, { recursive: true, force: true });
  console.log(`${plan.testFiles} test files${plan.workers ? `, pytest-xdist -n ${plan.workers}` : ', one process'}${coverageDir ? ', with coverage' : ''}.`);
  // pytest's own report is the output; its exit code says what happened.
  const result = await execa(python, plan.args, { cwd: treeDir, env: plan.env, stdio: ['ignore', 'inherit', 'inherit'], reject: false });
  if (result.exitCode === PYTEST_NO_TESTS) {
    console.log(`${context.projectName}: no tests collected.`);
    return;
  }
  if (result.exitCode !== 0) {
    const why = result.exitCode === 1 ? 'some tests failed' : `pytest stopped (exit code ${result.exitCode})`;
    throw new BuildError(`${why} in ${options.testDir ?? 'test'}/`, { fix: `npx nx run ${context.projectName}:${context.targetName} (the report above names each failure)` });
  }
  if (coverageDir) console.log(`Coverage report: ${join(options.outputPath ?? 'dist/test', 'htmlcov', 'index.html')}`);
});
