import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { pytestPlan, XDIST_MIN_FILES } from './pytest';
import { tempDir } from '../../testing/temp-dir';

let tree: string;
beforeEach(() => {
  tree = tempDir('pytest-plan-spec-');
});

function tests(n: number): void {
  mkdirSync(join(tree, 'test/sub'), { recursive: true });
  for (let i = 0; i < n; i++) writeFileSync(join(tree, i % 2 ? `test/sub/test_${i}.py` : `test/t${i}_test.py`), 'def test_x():\n    pass\n');
}

describe('pytestPlan', () => {
  it('says "no tests" without a test/ folder (the real tree has none), or with one holding no test file', () => {
    expect(pytestPlan({ treeDir: tree })).toEqual({ kind: 'none', reason: 'no tests: the tree has no test/ folder' });
    mkdirSync(join(tree, 'test'));
    writeFileSync(join(tree, 'test/conftest.py'), '');
    expect(pytestPlan({ treeDir: tree })).toEqual({ kind: 'none', reason: 'no tests: test/ holds no test_*.py or *_test.py file' });
  });

  it("runs make's pytest -v -s in one process below the xdist threshold", () => {
    tests(XDIST_MIN_FILES - 1);
    expect(pytestPlan({ treeDir: tree })).toEqual({
      kind: 'run',
      args: ['-m', 'pytest', '-v', '-s', '-p', 'no:cacheprovider', 'test'],
      env: {},
      testFiles: XDIST_MIN_FILES - 1,
      workers: undefined,
    });
  });

  it('uses pytest-xdist -n auto from the threshold up, or the workers asked for, or none', () => {
    tests(XDIST_MIN_FILES);
    expect(pytestPlan({ treeDir: tree })).toMatchObject({ args: ['-m', 'pytest', '-v', '-s', '-p', 'no:cacheprovider', '-n', 'auto', 'test'], workers: 'auto' });
    expect(pytestPlan({ treeDir: tree, parallel: 3 })).toMatchObject({ workers: '3' });
    expect(pytestPlan({ treeDir: tree, parallel: false })).toMatchObject({ workers: undefined });
  });

  it("adds make coverage's --cov=. with the HTML report and the data file under the given folder", () => {
    tests(1);
    expect(pytestPlan({ treeDir: tree, coverageDir: '/ws/dist/test' })).toMatchObject({
      args: ['-m', 'pytest', '-v', '-s', '-p', 'no:cacheprovider', '--cov=.', '--cov-report=html:/ws/dist/test/htmlcov', '--cov-report=term', 'test'],
      env: { COVERAGE_FILE: '/ws/dist/test/coverage' },
    });
  });
});
