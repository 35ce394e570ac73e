import { describe, expect, it } from 'vitest';
import { normalizeOptions } from './sdist.impl';

describe('sdist normalizeOptions', () => {
  it('defaults to make jinlava: packages/lava → dist/jinlava/jinlava-<version>.tar.gz', () => {
    expect(normalizeOptions({})).toEqual({ sourceDir: 'packages/lava', outputPath: 'dist/jinlava', distribution: 'jinlava' });
  });

  it('keeps explicit choices', () => {
    expect(normalizeOptions({ sourceDir: 'x', outputPath: 'dist/y', distribution: 'z' })).toEqual({ sourceDir: 'x', outputPath: 'dist/y', distribution: 'z' });
  });
});
