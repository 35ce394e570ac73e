import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lambdaEntries, lambdaZipPath } from './lambda';
import { tempDir } from '../../testing/temp-dir';

async function tree(files: Record<string, string>): Promise<string> {
  const root = tempDir('lambda-spec-');
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

describe('lambdaEntries', () => {
  it('puts the handlers at the root, lava/ under its name and the packages beside them, .so kept, bytecode left out', async () => {
    const handlerDir = await tree({ 'dispatch.py': 'x', 'requirements.txt': 'jinja2\n', 'notes.md': '' });
    const lavaPackage = await tree({ '__init__.py': '', 'VERSION.json': '{}', '__pycache__/x.pyc': '' });
    const packages = await tree({ 'markupsafe/__init__.py': '', 'markupsafe/_speedups.cpython-313-aarch64-linux-gnu.so': 'ELF', 'markupsafe/x.pyc': '' });
    const paths = (await lambdaEntries({ handlerDir, lavaPackage, packages })).map((e) => e.path).sort();
    expect(paths).toEqual([
      'dispatch.py',
      'lava',
      'lava/VERSION.json',
      'lava/__init__.py',
      'markupsafe',
      'markupsafe/__init__.py',
      'markupsafe/_speedups.cpython-313-aarch64-linux-gnu.so',
    ]);
  });

  it('stores what a symlink points to', async () => {
    const handlerDir = await tree({ 'stop.py': '' });
    const lavaPackage = await tree({ '__init__.py': '', 'real.yaml': 'a: 1\n' });
    await symlink('real.yaml', join(lavaPackage, 'alias.yaml'));
    const packages = await tree({});
    const alias = (await lambdaEntries({ handlerDir, lavaPackage, packages })).find((e) => e.path === 'lava/alias.yaml');
    expect(alias?.kind).toBe('file');
    expect(alias?.source).toBe(join(lavaPackage, 'real.yaml'));
  });

  it('fails on a dangling symlink instead of dropping it', async () => {
    const handlerDir = await tree({ 'stop.py': '' });
    const lavaPackage = await tree({ '__init__.py': '' });
    await symlink('../nowhere/os-type.sh', join(lavaPackage, 'os-type.sh'));
    await expect(lambdaEntries({ handlerDir, lavaPackage, packages: await tree({}) })).rejects.toThrow(/os-type\.sh is a dangling symlink/);
  });

  it('fails when an installed package would overwrite a handler or lava/', async () => {
    const handlerDir = await tree({ 'six.py': '' });
    await expect(
      lambdaEntries({ handlerDir, lavaPackage: await tree({ '__init__.py': '' }), packages: await tree({ 'six.py': '' }) }),
    ).rejects.toThrow(/two files want the zip path six\.py/);
  });

  it('fails when the folder has no handler', async () => {
    await expect(lambdaEntries({ handlerDir: await tree({ 'requirements.txt': '' }), lavaPackage: await tree({}), packages: await tree({}) })).rejects.toThrow(
      /has no handler/,
    );
  });
});

describe('lambdaZipPath', () => {
  it('names the zip for the lambda and the version', () => {
    expect(lambdaZipPath('s3trigger', '8.2.0')).toBe('dist/lambda/s3trigger-8.2.0.zip');
  });
});
