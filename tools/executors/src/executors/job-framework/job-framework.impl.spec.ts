import { describe, expect, it } from 'vitest';
import { normalizeOptions } from './job-framework.impl';

describe('job-framework normalizeOptions', () => {
  it('defaults to lava/resources of packages/lava, links into its etc/ and bin/, dist/dev-tools, links followed', () => {
    expect(normalizeOptions({})).toEqual({
      resourcesDir: 'packages/lava/lava/resources',
      linkRoots: ['packages/lava/etc', 'packages/lava/bin'],
      outputPath: 'dist/dev-tools',
      symlinks: 'follow',
    });
  });

  it('refuses a policy that would keep links in a zip', () => {
    expect(() => normalizeOptions({ symlinks: 'keep' as never })).toThrow('symlinks must be "follow" or "refuse", got "keep" (zips cannot keep links)');
  });
});
