import { describe, expect, it } from 'vitest';
import { imageType, imageTypes } from './image-type';

describe('image types', () => {
  it('every type when none is named, else the named ones in their order', () => {
    expect(imageTypes(undefined)).toEqual(['base', 'full']);
    expect(imageTypes(['full', 'base'])).toEqual(['full', 'base']);
    expect(imageType('full')).toBe('full');
  });

  it('refuses an unknown type in one line naming the known ones', () => {
    expect(() => imageTypes(['base', 'slim'])).toThrow(/^unknown image type "slim"; known: base, full$/);
    expect(() => imageType('')).toThrow('unknown image type ""; known: base, full');
  });
});
