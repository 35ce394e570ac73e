import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureStderr, fakeContext } from '../../testing/executor-context';
import pytest from './pytest.impl';
import { tempDir } from '../../testing/temp-dir';

// Real pytest from the workspace's Python environment, on a tiny tree.
const WORKSPACE = resolve(__dirname, '../../../../..');
let root: string;
beforeEach(() => {
  root = tempDir('pytest-exec-spec-');
  symlinkSync(join(WORKSPACE, '.venv'), join(root, '.venv'));
  mkdirSync(join(root, 'tree/pkg'), { recursive: true });
  writeFileSync(join(root, 'tree/pkg/__init__.py'), 'def double(x):\n    return 2 * x\n');
});
afterEach(() => {
  vi.restoreAllMocks();
});

const context = () => fakeContext(root, 'worker-bundle', 'tree', 'test');
const logged = (log: { mock: { calls: unknown[][] } }) => log.mock.calls.map((c) => String(c[0])).join('\n');

describe('pytest executor', () => {
  it('says "no tests" and succeeds when the tree has no test/ folder', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await pytest({}, context())).toEqual({ success: true });
    expect(logged(log)).toBe('worker-bundle: no tests: the tree has no test/ folder.');
  });

  it('runs the tests from the tree root (its package importable), fails naming what to rerun when one fails', async () => {
    mkdirSync(join(root, 'tree/test'));
    writeFileSync(join(root, 'tree/test/test_pkg.py'), 'from pkg import double\n\ndef test_double():\n    assert double(2) == 4\n');
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await pytest({}, context())).toEqual({ success: true });
    writeFileSync(join(root, 'tree/test/test_bad.py'), 'def test_bad():\n    assert 1 == 2\n');
    const { result, stderr } = await captureStderr(() => pytest({}, context()));
    expect(result.success).toBe(false);
    expect(stderr).toContain('✖ worker-bundle:test: some tests failed in test/; run: npx nx run worker-bundle:test (the report above names each failure)\n');
    expect(existsSync(join(root, 'tree/.pytest_cache'))).toBe(false);
  });

  it('writes the coverage report and data under outputPath, not into the tree', async () => {
    mkdirSync(join(root, 'tree/test'));
    writeFileSync(join(root, 'tree/test/test_pkg.py'), 'from pkg import double\n\ndef test_double():\n    assert double(2) == 4\n');
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await pytest({ coverage: true }, context())).toEqual({ success: true });
    expect(existsSync(join(root, 'dist/test/htmlcov/index.html'))).toBe(true);
    expect(existsSync(join(root, 'dist/test/coverage'))).toBe(true);
    expect(existsSync(join(root, 'tree/.coverage'))).toBe(false);
  });
});
