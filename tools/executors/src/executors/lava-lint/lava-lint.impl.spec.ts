import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureStderr, fakeContext } from '../../testing/executor-context';
import lint from './lava-lint.impl';
import { tempDir } from '../../testing/temp-dir';

// The real tools from the workspace's Python environment, on a tiny tree.
const WORKSPACE = resolve(__dirname, '../../../../..');
let root: string;
function put(path: string, text: string, mode = 0o644): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
  chmodSync(join(root, path), mode);
}
beforeEach(() => {
  root = tempDir('lava-lint-spec-');
  symlinkSync(join(WORKSPACE, '.venv'), join(root, '.venv'));
  put('packages/lava/pyproject.toml', "[tool.ruff]\nline-length = 100\nlint.select = ['E', 'F', 'W']\n");
  put('packages/lava/.flake8', '[flake8]\nmax-line-length = 100\nselect = E,F,W\nexclude = test\n');
  put('packages/lava/.yamllint.yaml', 'extends: default\nrules:\n  document-start: disable\n');
  put('packages/lava/lava/ok.py', '"""Fine."""\n\nX = 1\n');
  put('packages/lava/bin/tool', '#!/usr/bin/env python3\n"""A tool."""\n\nprint(1)\n', 0o755);
  put('packages/lava/etc/run.sh', '#!/bin/bash\necho "$1"\n', 0o755);
  put('packages/lava/conf.yaml', 'a: 1\n');
});
afterEach(() => {
  vi.restoreAllMocks();
});

const context = () => fakeContext(root, 'worker-bundle', 'packages/lava', 'lint');
const logged = (log: { mock: { calls: unknown[][] } }) => log.mock.calls.map((c) => String(c[0])).join('\n');

describe('lava-lint', () => {
  it('passes a clean tree and says what it checked', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await lint({}, context())).toEqual({ success: true });
    expect(logged(log)).toBe('Checks: 2 Python, 1 shell, 2 YAML files, no findings (ruff, flake8, shellcheck, yamllint).');
  });

  it('lists every finding as file:line and fails, one line saying how many', async () => {
    put('packages/lava/lava/bad.py', 'import os\n');
    put('packages/lava/bin/tool2', '#!/usr/bin/env python3\nimport sys\n', 0o755);
    put('packages/lava/etc/bad.sh', '#!/bin/bash\necho $1\n', 0o755);
    put('packages/lava/bad.yaml', 'a: 1\na: 2\n');
    put('packages/lava/test/ignored.py', 'import os\n');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { result, stderr } = await captureStderr(() => lint({}, context()));
    expect(result.success).toBe(false);
    expect(logged(log).split('\n')).toEqual([
      'packages/lava/bin/tool2:2: F401 `sys` imported but unused [ruff]',
      'packages/lava/lava/bad.py:1: F401 `os` imported but unused [ruff]',
      "packages/lava/bin/tool2:2: F401 'sys' imported but unused [flake8]",
      "packages/lava/lava/bad.py:1: F401 'os' imported but unused [flake8]",
      'packages/lava/etc/bad.sh:2: SC2086 Double quote to prevent globbing and word splitting. [shellcheck]',
      'packages/lava/bad.yaml:2: key-duplicates duplication of key "a" in mapping [yamllint]',
    ]);
    expect(stderr).toBe(
      "✖ worker-bundle:lint: 6 findings (ruff 2, flake8 2, shellcheck 1, yamllint 1) in 4 files among 4 Python, 2 shell, 3 YAML files; run: fix them (packages/lava's .flake8, pyproject.toml and .yamllint.yaml say what is checked)\n",
    );
  });

  it('reports without failing when failOnFindings is false, and runs only the tools asked for', async () => {
    put('packages/lava/etc/bad.sh', '#!/bin/bash\necho $1\n', 0o755);
    put('packages/lava/lava/bad.py', 'import os\n');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await lint({ failOnFindings: false, tools: ['shellcheck'] }, context())).toEqual({ success: true });
    expect(logged(log)).toBe(
      'packages/lava/etc/bad.sh:2: SC2086 Double quote to prevent globbing and word splitting. [shellcheck]\n' +
        'Checks: 3 Python, 2 shell, 2 YAML files: 1 finding (shellcheck 1) in 1 file.',
    );
  });

  it('fails in one line when a configuration is broken', async () => {
    put('packages/lava/pyproject.toml', '[tool.ruff]\nline-length = "wide"\n');
    const { result, stderr } = await captureStderr(() => lint({ tools: ['ruff'] }, context()));
    expect(result.success).toBe(false);
    expect(stderr).toMatch(/✖ worker-bundle:lint: ruff could not check the files \(exit code 2\)\n$/);
  });
});
