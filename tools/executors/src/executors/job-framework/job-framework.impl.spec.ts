import { describe, expect, it } from 'vitest';
import { normalizeOptions } from './job-framework.impl';

describe('job-framework normalizeOptions', () => {
  it('defaults to the template in packages/job-framework, dist/dev-tools, links followed', () => {
    expect(normalizeOptions({})).toEqual({ templateDir: 'packages/job-framework/cookiecutter', outputPath: 'dist/dev-tools', symlinks: 'follow' });
  });

  it('refuses a policy that would keep links in a zip', () => {
    expect(() => normalizeOptions({ symlinks: 'keep' as never })).toThrow('symlinks must be "follow" or "refuse", got "keep" (zips cannot keep links)');
  });
});
