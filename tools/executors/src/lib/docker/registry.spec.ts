import { describe, expect, it } from 'vitest';
import { formatImages } from './registry';

describe('formatImages', () => {
  it('lists every repository and tag under the registry host, aligned', () => {
    const text = formatImages([
      { repository: 'base/trixie-py3.13', tags: ['latest', 'r1'] },
      { repository: 'build/lava/amzn2023-py3.13', tags: [] },
    ]);
    expect(text).toBe(
      [
        'REPOSITORY                                 TAG',
        'localhost:5001/base/trixie-py3.13          latest',
        'localhost:5001/base/trixie-py3.13          r1',
        'localhost:5001/build/lava/amzn2023-py3.13  <none>',
      ].join('\n'),
    );
  });
});
