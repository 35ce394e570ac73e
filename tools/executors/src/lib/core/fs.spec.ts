import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempDir, writeAtomically, writeFileAtomic } from './fs';
import { tempDir } from '../../testing/temp-dir';

describe('fs', () => {
  it('writes a file whole, creating its directory, replacing the old one', async () => {
    const dir = tempDir('fs-spec-');
    const target = join(dir, 'dist/cfn/x.json');
    await writeFileAtomic(target, 'one');
    await writeFileAtomic(target, 'two');
    expect(readFileSync(target, 'utf8')).toBe('two');
    expect(readdirSync(join(dir, 'dist/cfn'))).toEqual(['x.json']);
  });

  it('leaves neither the target nor the staging file when producing fails', async () => {
    const dir = tempDir('fs-spec-');
    const target = join(dir, 'bundle.tar.bz2');
    await expect(
      writeAtomically(target, async (staging) => {
        writeFileSync(staging, 'half');
        throw new Error('killed');
      }),
    ).rejects.toThrow('killed');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps the previous output when a rebuild fails', async () => {
    const dir = tempDir('fs-spec-');
    const target = join(dir, 'x');
    await writeFileAtomic(target, 'good');
    await expect(writeAtomically(target, async () => Promise.reject(new Error('no')))).rejects.toThrow();
    expect(readFileSync(target, 'utf8')).toBe('good');
  });

  it('removes the scratch directory whatever happens', async () => {
    let seen = '';
    await expect(
      withTempDir('lava-spec', async (dir) => {
        seen = dir;
        writeFileSync(join(dir, 'f'), 'x');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(existsSync(seen)).toBe(false);
  });
});
