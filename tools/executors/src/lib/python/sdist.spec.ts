import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { copySources, sdistFileName } from './sdist';
import { tempDir } from '../../testing/temp-dir';

let scratch: string;
beforeEach(() => {
  scratch = tempDir('sdist-spec-');
});

describe('sdistFileName', () => {
  it('is <distribution>-<version>.tar.gz (make looked for lava-<V>.tar.gz and so always rebuilt)', () => {
    expect(sdistFileName('jinlava', '8.2.0')).toBe('jinlava-8.2.0.tar.gz');
  });
});

describe('copySources', () => {
  it('leaves caches, egg-info, build leftovers and the nx project file behind, keeps links', async () => {
    const src = join(scratch, 'src');
    for (const dir of ['lava/__pycache__', 'jinlava.egg-info', 'build/lib', 'dist', 'bin']) mkdirSync(join(src, dir), { recursive: true });
    for (const file of ['setup.py', 'lava/__init__.py', 'lava/x.pyc', 'lava/__pycache__/a.pyc', 'jinlava.egg-info/PKG-INFO', 'project.json', 'bin/lava-worker']) {
      writeFileSync(join(src, file), '');
    }
    symlinkSync('../lava', join(src, 'bin/lava'));
    const into = join(scratch, 'copy');
    await copySources(src, into);
    expect(readdirSync(into).sort()).toEqual(['bin', 'lava', 'setup.py']);
    expect(readdirSync(join(into, 'lava'))).toEqual(['__init__.py']);
    expect(existsSync(join(into, 'bin/lava'))).toBe(true);
  });
});
