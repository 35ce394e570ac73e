// lava's make test / make coverage: pytest over the tree's test folder, run
// from the tree's root (where its pytest.ini and .coveragerc are), with
// pytest-xdist when there are enough test files for it to pay, coverage on
// demand. make ran it only when test/ existed; so does this, saying so.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fg from 'fast-glob';

/** make's `test/*` check. */
export const TEST_DIR = 'test';

/**
 * Below this many test files pytest-xdist costs more than it saves: each
 * worker is a new interpreter that imports pytest, the plugins and the code
 * under test again before the first test runs.
 */
export const XDIST_MIN_FILES = 8;

export interface PytestOptions {
  /** The tree's root, absolute: pytest runs there. */
  treeDir: string;
  testDir?: string;
  /** 'auto' (xdist from XDIST_MIN_FILES test files up), a worker count, or false. */
  parallel?: 'auto' | number | false;
  /** Where coverage's data and HTML report go (absolute), when wanted. */
  coverageDir?: string;
}

export type PytestPlan =
  | { kind: 'none'; reason: string }
  | { kind: 'run'; args: string[]; env: Record<string, string>; testFiles: number; workers: string | undefined };

/** The test files pytest would collect by default names (test_*.py, *_test.py). */
export function testFiles(dir: string): string[] {
  return fg.sync(['**/test_*.py', '**/*_test.py'], { cwd: dir, ignore: ['**/__pycache__/**'] }).sort();
}

export function pytestPlan(options: PytestOptions): PytestPlan {
  const testDir = options.testDir ?? TEST_DIR;
  const dir = join(options.treeDir, testDir);
  if (!existsSync(dir)) return { kind: 'none', reason: `no tests: the tree has no ${testDir}/ folder` };
  const files = testFiles(dir);
  if (files.length === 0) return { kind: 'none', reason: `no tests: ${testDir}/ holds no test_*.py or *_test.py file` };
  const parallel = options.parallel ?? 'auto';
  const workers =
    parallel === false ? undefined : parallel === 'auto' ? (files.length >= XDIST_MIN_FILES ? 'auto' : undefined) : String(parallel);
  // make's flags (-v -s); no .pytest_cache written into the tree.
  const args = ['-m', 'pytest', '-v', '-s', '-p', 'no:cacheprovider'];
  if (workers) args.push('-n', workers);
  const env: Record<string, string> = {};
  if (options.coverageDir) {
    args.push('--cov=.', `--cov-report=html:${join(options.coverageDir, 'htmlcov')}`, '--cov-report=term');
    // Overrides the tree's .coveragerc data_file (relative to the tree): the data goes beside the report.
    env.COVERAGE_FILE = join(options.coverageDir, 'coverage');
  }
  args.push(testDir);
  return { kind: 'run', args, env, testFiles: files.length, workers };
}

/** pytest's exit code 5: it collected no test. */
export const PYTEST_NO_TESTS = 5;
