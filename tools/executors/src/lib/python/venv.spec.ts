import { describe, expect, it } from 'vitest';
import { pinnedVersion } from './venv';

describe('pinnedVersion', () => {
  it('finds a pin by its PEP 503 name, extras and markers aside', () => {
    const text = '# tools\nUV == 0.13.8 ; python_version >= "3.8"\nmoto[server]==5.2.5\nuvicorn==1.0\n';
    expect(pinnedVersion(text, 'uv')).toBe('0.13.8');
    expect(pinnedVersion(text, 'moto')).toBe('5.2.5');
    expect(pinnedVersion(text, 'pip')).toBeUndefined();
  });
});
