import { describe, expect, it } from 'vitest';
import { normalizeOptions } from './worker-bundle';

describe('worker-bundle normalizeOptions', () => {
  it('defaults to make’s pkg: the project’s sources, dist/pkg, both runtime requirement files, python3 and uv', () => {
    expect(normalizeOptions({}, 'packages/lava')).toEqual({
      sourceDir: 'packages/lava',
      outputPath: 'dist/pkg',
      requirements: ['requirements.txt', 'requirements-extra.txt'],
      python: 'python3',
      runtime: undefined,
      installer: 'uv',
      buildConstraints: 'tools/python/build-constraints.txt',
    });
  });

  it('keeps explicit choices', () => {
    const o = normalizeOptions({ sourceDir: 'src', requirements: ['r.txt'], python: 'python3.12', runtime: 'debian12-py3.12', installer: 'uv' }, 'x');
    expect(o).toMatchObject({ sourceDir: 'src', requirements: ['r.txt'], python: 'python3.12', runtime: 'debian12-py3.12', installer: 'uv' });
  });

  it('refuses an unknown installer and an empty requirement list', () => {
    expect(() => normalizeOptions({ installer: 'poetry' as never }, 'x')).toThrow('installer must be "pip" or "uv", got "poetry"');
    expect(() => normalizeOptions({ requirements: [] }, 'x')).toThrow(/at least one requirement file/);
  });
});
