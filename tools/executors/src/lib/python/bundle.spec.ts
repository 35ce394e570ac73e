import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { bundleInputs, checkBuildConstraints, checkRequirementFiles, expandBundleSources, stageBundle, writeBundle } from './bundle';
import { bundlePath } from './bundle-name';
import { tempDir } from '../../testing/temp-dir';

let scratch: string;
let source: string;
beforeEach(() => {
  scratch = tempDir('bundle-spec-');
  source = join(scratch, 'lava-src');
  const files: Record<string, string> = {
    'bin/lava-worker': '#!/usr/bin/env python3\n',
    'etc/yaml2json': '#!/usr/bin/env python3\n',
    'etc/jinja': '#!/usr/bin/env python3\n',
    'etc/md-split': 'the build’s own tool\n',
    'etc/builders/x.Dockerfile': 'FROM x\n',
    'bin/.hidden': 'not matched by bin/*\n',
    'install.sh': '#!/bin/sh\n',
    'lava-run': '#!/bin/sh\n',
    'lava/__init__.py': '',
    'lava/VERSION.json': '{}',
    'lava/__pycache__/__init__.cpython-311.pyc': 'pyc',
    'lava/notes.swp': 'swap',
    'requirements.txt': 'PyYAML==6.0.2\n',
    'requirements-extra.txt': '',
    'requirements-build.txt': 'build\n',
    'setup.py': 'not shipped',
    'project.json': '{}',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(source, path)), { recursive: true });
    writeFileSync(join(source, path), text);
  }
  symlinkSync('../lava', join(source, 'bin/lava'));
});

describe('bundlePath', () => {
  it('is make’s dist/pkg/<os>/lava-<version>-<runtime>-<arch>.tar.bz2', () => {
    expect(bundlePath({ version: '8.2.0', runtime: 'debian12-py3.11', os: 'debian12', arch: 'x86_64' })).toBe(
      'dist/pkg/debian12/lava-8.2.0-debian12-py3.11-x86_64.tar.bz2',
    );
  });
});

describe('stageBundle + writeBundle', () => {
  it('writes pkg.sh’s layout: links kept, .so kept, bytecode and swap files dropped, nothing else shipped', async () => {
    const staging = join(scratch, 'stage');
    await stageBundle(source, staging);
    mkdirSync(join(staging, 'pylib/yaml/__pycache__'), { recursive: true });
    writeFileSync(join(staging, 'pylib/yaml/_yaml.cpython-311-x86_64-linux-gnu.so'), 'ELF');
    writeFileSync(join(staging, 'pylib/yaml/__pycache__/x.pyc'), 'pyc');
    const target = join(scratch, 'dist/pkg/debian12/lava.tar.bz2');
    await writeBundle(staging, target);

    const listing = execFileSync('tar', ['-tvjf', target], { encoding: 'utf8' }).trim().split('\n');
    const names = listing.map((l) => l.split(/\s+/).slice(5).join(' ').replace(/\/$/, ''));
    expect(names.filter((n) => !n.includes('/'))).toEqual([
      'bin', 'etc', 'install.sh', 'lava', 'lava-run', 'pylib', 'requirements-build.txt', 'requirements-extra.txt', 'requirements.txt',
    ]);
    expect(names).toContain('bin/lava -> ../lava');
    expect(names).toContain('pylib/yaml/_yaml.cpython-311-x86_64-linux-gnu.so');
    expect(names.join('\n')).not.toMatch(/pyc|__pycache__|\.swp|setup\.py|project\.json|\.hidden/);
    // etc/ holds only what pkg.sh named (jinja, dyn-put-item, yaml2json), present ones only.
    expect(names.filter((n) => n.startsWith('etc/'))).toEqual(['etc/jinja', 'etc/yaml2json']);
    expect(listing.every((l) => l.includes(' 0/0 '))).toBe(true);
  });

  it('names what is missing from the sources and stages nothing', async () => {
    rmSync(join(source, 'lava-run'));
    const staging = join(scratch, 'stage');
    await expect(stageBundle(source, staging, undefined, 'packages/lava')).rejects.toThrow(
      'the worker bundle needs packages/lava/lava-run, which is missing; run: git checkout -- packages/lava/lava-run',
    );
    expect(existsSync(staging)).toBe(false);
  });
});

describe('expandBundleSources', () => {
  it('expands pkg.sh’s globs in their folder, in byte order, skipping dot files and absent paths', () => {
    writeFileSync(join(source, 'lava-extra'), '');
    expect(expandBundleSources(source)).toEqual([
      'lava-extra', 'lava-run', 'requirements-build.txt', 'requirements-extra.txt', 'requirements.txt', 'install.sh',
      'etc/jinja', 'etc/yaml2json', 'bin/lava', 'bin/lava-worker', 'lava',
    ]);
  });
});

describe('bundleInputs', () => {
  it('are pkg.sh’s sources as input globs, folders recursive, no other etc/ file', () => {
    expect(bundleInputs('{projectRoot}')).toEqual([
      '{projectRoot}/lava-*', '{projectRoot}/requirements*.txt', '{projectRoot}/install.sh',
      '{projectRoot}/etc/jinja', '{projectRoot}/etc/dyn-put-item', '{projectRoot}/etc/yaml2json',
      '{projectRoot}/bin/**/*', '{projectRoot}/lava/**/*',
    ]);
  });
});

describe('checkBuildConstraints', () => {
  it('gives the absolute file, or the fix when it is missing', () => {
    writeFileSync(join(scratch, 'bc.txt'), 'setuptools<81\n');
    expect(checkBuildConstraints(scratch, 'bc.txt')).toBe(join(scratch, 'bc.txt'));
    expect(() => checkBuildConstraints(scratch, 'tools/python/build-constraints.txt')).toThrow(
      'the build constraints file tools/python/build-constraints.txt is missing; run: git checkout -- tools/python/build-constraints.txt',
    );
  });
});

describe('checkRequirementFiles', () => {
  it('names every missing requirement file with the fix', () => {
    expect(() => checkRequirementFiles(source, ['requirements.txt', 'requirements-nope.txt'], 'packages/lava')).toThrow(
      'requirement file missing: packages/lava/requirements-nope.txt; run: git checkout -- packages/lava/requirements-nope.txt',
    );
    expect(() => checkRequirementFiles(source, ['requirements.txt'])).not.toThrow();
  });
});
