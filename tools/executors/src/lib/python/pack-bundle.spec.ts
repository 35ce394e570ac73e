import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp-dir';
import { packBundle } from './pack-bundle';

function lavaSources(root: string): void {
  const src = join(root, 'packages/lava');
  for (const dir of ['lava', 'bin', 'etc/jinja', 'test']) mkdirSync(join(src, dir), { recursive: true });
  writeFileSync(join(src, 'lava/__init__.py'), '');
  writeFileSync(join(src, 'bin/lava-ps'), '#!/bin/sh\n');
  writeFileSync(join(src, 'install.sh'), '#!/bin/sh\n');
  writeFileSync(join(src, 'lava-run'), '#!/bin/sh\n');
  writeFileSync(join(src, 'requirements.txt'), 'six\n');
  writeFileSync(join(src, 'test/test_x.py'), '');
}

describe('packBundle', () => {
  it('stages the sources, lets the installer fill pylib/, cleans it and writes the tar.bz2', async () => {
    const root = tempDir('pack-bundle-');
    lavaSources(root);
    let seen: { pylib: string; staging: string } | undefined;
    const entries = await packBundle({
      workspaceRoot: root,
      sourceDir: 'packages/lava',
      requirements: ['requirements.txt'],
      target: 'dist/pkg/x/lava.tar.bz2',
      scratchName: 'lava-pack-bundle-spec',
      install: async (pylib, staging) => {
        seen = { pylib, staging };
        mkdirSync(join(pylib, 'six/__pycache__'), { recursive: true });
        writeFileSync(join(pylib, 'six/__init__.py'), '');
        writeFileSync(join(pylib, 'six/__pycache__/x.pyc'), '');
      },
    });
    expect(seen?.pylib).toBe(join(seen!.staging, 'pylib'));
    expect(existsSync(seen!.staging)).toBe(false);
    const listed = execFileSync('tar', ['-tjf', join(root, 'dist/pkg/x/lava.tar.bz2')], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(listed).toEqual(expect.arrayContaining(['lava/__init__.py', 'bin/lava-ps', 'install.sh', 'lava-run', 'requirements.txt', 'pylib/six/__init__.py']));
    expect(listed.join('\n')).not.toMatch(/__pycache__|\.pyc|^test\//m);
    expect(entries.length).toBeGreaterThan(0);
  });

  it('writes no bundle when the install fails', async () => {
    const root = tempDir('pack-bundle-');
    lavaSources(root);
    const packing = packBundle({
      workspaceRoot: root,
      sourceDir: 'packages/lava',
      requirements: ['requirements.txt'],
      target: 'dist/pkg/x/lava.tar.bz2',
      scratchName: 'lava-pack-bundle-spec',
      install: async () => {
        throw new Error('pip failed');
      },
    });
    await expect(packing).rejects.toThrow('pip failed');
    expect(existsSync(join(root, 'dist'))).toBe(false);
  });
});
