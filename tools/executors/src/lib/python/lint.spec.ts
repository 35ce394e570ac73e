import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  checkCommands,
  flake8Excluded,
  flake8Excludes,
  formatFinding,
  hookExcludes,
  parseFindings,
  scriptKind,
  selectCheckFiles,
  summarise,
} from './lint';
import { tempDir } from '../../testing/temp-dir';

let root: string;
beforeEach(() => {
  root = tempDir('lava-checks-spec-');
});

function put(path: string, text: string, mode = 0o644): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
  chmodSync(join(root, path), mode);
}

describe('scriptKind', () => {
  it('tells Python and shell scripts by their #! line, as file(1) does', () => {
    expect(scriptKind('#!/usr/bin/env python3')).toBe('python');
    expect(scriptKind('#!/usr/bin/python3.11 -u')).toBe('python');
    expect(scriptKind('#!/bin/bash')).toBe('shell');
    expect(scriptKind('#!/usr/bin/env bash')).toBe('shell');
    expect(scriptKind('#!/bin/sh -e')).toBe('shell');
    expect(scriptKind('#!/usr/bin/env node')).toBeUndefined();
    expect(scriptKind('#!/bin/bashful')).toBeUndefined();
    expect(scriptKind('import os')).toBeUndefined();
  });
});

describe('selectCheckFiles', () => {
  it('selects .py files, executable extension-less Python scripts, executable shell scripts and YAML; skips links and the hook excludes', () => {
    put('packages/lava/lava/a.py', 'x = 1\n');
    put('packages/lava/bin/tool', '#!/usr/bin/env python3\n', 0o755);
    put('packages/lava/bin/not-exec', '#!/usr/bin/env python3\n', 0o644);
    put('packages/lava/etc/run.sh', '#!/bin/bash\n', 0o755);
    put('packages/lava/etc/py.sh', '#!/usr/bin/env python3\n', 0o755);
    put('packages/lava/etc/noext', '#!/bin/sh\n', 0o755);
    put('packages/lava/x.yaml', 'a: 1\n');
    put('packages/lava/.github/w.yml', 'a: 1\n');
    put('packages/lava/.github/hook.sh', '#!/bin/bash\n', 0o755);
    put('packages/lava/test/t.py', 'x = 1\n');
    put('packages/docs/hooks.py', 'x = 1\n');
    put('packages/lava/lava/__pycache__/a.cpython-311.pyc', '');
    mkdirSync(join(root, 'packages/lava/lnk'));
    require('node:fs').symlinkSync('../lava/a.py', join(root, 'packages/lava/lnk/b.py'));
    const s = selectCheckFiles(root, ['packages/**']);
    expect(s.python).toEqual(['packages/lava/bin/tool', 'packages/lava/lava/a.py']);
    expect(s.shell).toEqual(['packages/lava/etc/noext', 'packages/lava/etc/run.sh']);
    expect(s.yaml).toEqual(['packages/lava/.github/w.yml', 'packages/lava/x.yaml']);
  });

  it('leaves out what the caller excludes', () => {
    put('packages/lambda/a/h.py', 'x = 1\n');
    put('packages/lambda/pkg.sh', '#!/bin/bash\n', 0o755);
    const s = selectCheckFiles(root, ['packages/lambda/**'], ['packages/lambda/a/**']);
    expect(s).toEqual({ python: [], shell: ['packages/lambda/pkg.sh'], yaml: [] });
  });

  it('maps the hook excludes to where adoption put the real folders', () => {
    expect(hookExcludes()).toEqual([
      'packages/lava/venv*/**',
      'packages/lava/.??*/**',
      'packages/docs/**',
      'packages/lava/untracked/**',
      'packages/lava/dist/**',
      'packages/lava/test/**',
      '**/*egg-info*/**',
    ]);
  });
});

describe('flake8 excludes', () => {
  const config = '[flake8]\nmax-line-length = 100\nexclude = venv*,untracked,dist,.git,doc,test,ami/extras,ami/resources/local/bin\nignore =\n\tE203\n';
  it('reads the list and maps path patterns, and a bare name of a renamed top-level folder (doc), to the workspace', () => {
    expect(flake8Excludes(config)).toEqual([
      'venv*',
      'untracked',
      'dist',
      '.git',
      'doc',
      'packages/docs',
      'test',
      'packages/ami/extras',
      'packages/ami/resources/local/bin',
    ]);
  });

  it('excludes as flake8 walking the tree would: a bare name anywhere on the path, a path pattern as a prefix', () => {
    const patterns = flake8Excludes(config);
    expect(flake8Excluded('packages/lava/lava/test/x.py', patterns)).toBe(true);
    expect(flake8Excluded('packages/ami/extras/old.py', patterns)).toBe(true);
    expect(flake8Excluded('packages/ami/resources/local/bin/awslog', patterns)).toBe(true);
    expect(flake8Excluded('packages/ami/resources/other/awslog', patterns)).toBe(false);
    expect(flake8Excluded('packages/lava/lava/testing.py', patterns)).toBe(false);
    expect(flake8Excluded('packages/lava/venv3/lib/x.py', patterns)).toBe(true);
  });
});

describe('checkCommands', () => {
  it('runs each tool with the tree configuration and make check settings', () => {
    const commands = checkCommands(
      { python: ['p/a.py', 'p/test/b.py'], shell: ['p/s.sh'], yaml: ['p/y.yaml'] },
      { pyproject: 'p/pyproject.toml', pyprojectText: '[tool.ruff]\nline-length = 100\n', flake8: 'p/.flake8', flake8Text: '[flake8]\nexclude = test\n', yamllint: 'p/.yamllint.yaml' },
      (program) => `/venv/bin/${program}`,
    );
    expect(commands).toEqual([
      { tool: 'ruff', file: '/venv/bin/ruff', args: ['check', '--no-cache', '--force-exclude', '--output-format', 'json', '--config', 'p/pyproject.toml', 'p/a.py', 'p/test/b.py'] },
      {
        tool: 'flake8',
        file: '/venv/bin/flake8',
        args: ['--config', 'p/.flake8', '--exclude=test', '--black-config', 'p/pyproject.toml', '--format=%(path)s:%(row)d:%(col)d: %(code)s %(text)s', 'p/a.py'],
      },
      {
        tool: 'shellcheck',
        file: '/venv/bin/shellcheck',
        args: ['--norc', '--external-sources', '--exclude', 'SC1091,SC2166,SC2155,SC2181', '--enable', 'add-default-case,check-unassigned-uppercase', '--format', 'gcc', 'p/s.sh'],
      },
      { tool: 'yamllint', file: '/venv/bin/yamllint', args: ['-c', 'p/.yamllint.yaml', '-f', 'parsable', 'p/y.yaml'] },
    ]);
  });

  it('runs nothing for an empty selection, and ruff without --config when pyproject.toml has no ruff table', () => {
    expect(checkCommands({ python: [], shell: [], yaml: [] }, {}, (p) => p)).toEqual([]);
    const [ruff] = checkCommands({ python: ['a.py'], shell: [], yaml: [] }, { pyproject: 'pyproject.toml', pyprojectText: '[build-system]\n' }, (p) => p);
    expect(ruff.args).not.toContain('--config');
  });
});

describe('parseFindings and formatFinding', () => {
  it('reads each tool output as file:line findings', () => {
    const ruff = parseFindings(
      'ruff',
      JSON.stringify([
        { code: 'ICN001', message: '`datetime` should be imported as `dt`', filename: '/ws/packages/lava/lava/lib/datetime.py', location: { row: 5, column: 8 } },
        { code: null, message: 'SyntaxError: Expected a statement', filename: '/ws/x.py', location: { row: 1, column: 1 } },
      ]),
      '/ws',
    );
    expect(ruff.map(formatFinding)).toEqual([
      'packages/lava/lava/lib/datetime.py:5: ICN001 `datetime` should be imported as `dt` [ruff]',
      'x.py:1: syntax-error SyntaxError: Expected a statement [ruff]',
    ]);
    expect(parseFindings('flake8', 'a/b.py:147:83: BLK100 Black would make changes.\n', '/ws').map(formatFinding)).toEqual([
      'a/b.py:147: BLK100 Black would make changes. [flake8]',
    ]);
    expect(parseFindings('shellcheck', 'd/x.sh:6:3: warning: FOO is referenced but not assigned. [SC2154]\n', '/ws').map(formatFinding)).toEqual([
      'd/x.sh:6: SC2154 FOO is referenced but not assigned. [shellcheck]',
    ]);
    const yaml = parseFindings(
      'yamllint',
      './s.yaml:1:9: [error] no new line character at the end of file (new-line-at-end-of-file)\ns.yaml:3:1: [warning] truthy value should be one of [false, true] (truthy)\n',
      '/ws',
    );
    expect(yaml.map(formatFinding)).toEqual([
      's.yaml:1: new-line-at-end-of-file no new line character at the end of file [yamllint]',
      's.yaml:3: warning: truthy truthy value should be one of [false, true] [yamllint]',
    ]);
    expect(summarise([...ruff, ...yaml])).toBe('4 findings (ruff 2, yamllint 2) in 3 files');
  });
});
