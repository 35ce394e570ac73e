import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanPylib } from './clean-pylib';

describe('cleanPylib', () => {
  let pylib: string;
  beforeEach(async () => {
    pylib = await mkdtemp(join(tmpdir(), 'pylib-spec-'));
  });
  afterEach(() => rm(pylib, { recursive: true, force: true }));

  it('drops installer records and bytecode, keeps metadata and .so, makes shebangs portable', async () => {
    const files: Record<string, string> = {
      'yaml/__init__.py': 'x = 1\n',
      'yaml/_yaml.cpython-311-x86_64-linux-gnu.so': 'ELF',
      'yaml/__pycache__/__init__.cpython-311.pyc': 'pyc',
      'stray.pyc': 'pyc',
      'PyYAML-6.0.2.dist-info/METADATA': 'Name: PyYAML\n',
      'PyYAML-6.0.2.dist-info/RECORD': 'yaml/__init__.py,sha256=x,6\n',
      'PyYAML-6.0.2.dist-info/INSTALLER': 'pip\n',
      'PyYAML-6.0.2.dist-info/direct_url.json': '{"url": "file:///build/path"}',
      'PyYAML-6.0.2.dist-info/top_level.txt': 'yaml\n',
      'bin/tool': '#!/tmp/clone-a/.venv/bin/python3.11\nimport sys\n',
      'bin/shell-tool': '#!/bin/sh\necho hi\n',
      // uv's own: the --target lock, REQUESTED on every distribution, its build record.
      '.lock': '',
      'PyYAML-6.0.2.dist-info/REQUESTED': '',
      'PyYAML-6.0.2.dist-info/uv_build.json': '{}',
    };
    for (const [path, text] of Object.entries(files)) {
      await mkdir(join(pylib, path, '..'), { recursive: true });
      await writeFile(join(pylib, path), text);
    }
    const report = await cleanPylib(pylib);
    expect(report).toEqual({ removed: 8, shebangs: 1 });
    expect((await readdir(pylib)).includes('.lock')).toBe(false);
    expect((await readdir(join(pylib, 'yaml'))).sort()).toEqual(['__init__.py', '_yaml.cpython-311-x86_64-linux-gnu.so']);
    expect((await readdir(join(pylib, 'PyYAML-6.0.2.dist-info'))).sort()).toEqual(['METADATA', 'top_level.txt']);
    expect(await readFile(join(pylib, 'bin/tool'), 'utf8')).toBe('#!/usr/bin/env python3\nimport sys\n');
    expect(await readFile(join(pylib, 'bin/shell-tool'), 'utf8')).toBe('#!/bin/sh\necho hi\n');
  });

  it('rewrites a shebang into a new file, leaving a hard-linked original (uv’s cache) untouched', async () => {
    const { link, stat } = await import('node:fs/promises');
    const cache = join(pylib, '..', `${pylib.split('/').pop()}-cache`);
    await mkdir(cache, { recursive: true });
    await writeFile(join(cache, 'tool'), '#!/build/venv/bin/python3\nimport sys\n', { mode: 0o755 });
    await mkdir(join(pylib, 'bin'), { recursive: true });
    await link(join(cache, 'tool'), join(pylib, 'bin/tool'));
    try {
      expect((await cleanPylib(pylib)).shebangs).toBe(1);
      expect(await readFile(join(pylib, 'bin/tool'), 'utf8')).toBe('#!/usr/bin/env python3\nimport sys\n');
      expect((await stat(join(pylib, 'bin/tool'))).mode & 0o777).toBe(0o755);
      expect(await readFile(join(cache, 'tool'), 'utf8')).toBe('#!/build/venv/bin/python3\nimport sys\n');
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });
});
