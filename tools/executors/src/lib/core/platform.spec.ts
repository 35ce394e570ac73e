import { describe, expect, it } from 'vitest';
import { BuildError } from './errors';
import { platformOf, platformsOf, PLATFORMS } from './platform';

describe('platformOf', () => {
  it.each`
    spelling         | arch         | docker           | short      | oracle
    ${'x86_64'}      | ${'x86_64'}  | ${'linux/amd64'} | ${'amd64'} | ${'x64'}
    ${'linux/amd64'} | ${'x86_64'}  | ${'linux/amd64'} | ${'amd64'} | ${'x64'}
    ${'amd64'}       | ${'x86_64'}  | ${'linux/amd64'} | ${'amd64'} | ${'x64'}
    ${'x64'}         | ${'x86_64'}  | ${'linux/amd64'} | ${'amd64'} | ${'x64'}
    ${'aarch64'}     | ${'aarch64'} | ${'linux/arm64'} | ${'arm64'} | ${'arm64'}
    ${'linux/arm64'} | ${'aarch64'} | ${'linux/arm64'} | ${'arm64'} | ${'arm64'}
    ${'arm64'}       | ${'aarch64'} | ${'linux/arm64'} | ${'arm64'} | ${'arm64'}
  `('maps $spelling to all three spellings', ({ spelling, arch, docker, short, oracle }) => {
    expect(platformOf(spelling)).toEqual({ arch, docker, short, oracle });
  });

  it.each(['i386', 'linux/riscv64', 'ARM', ''])('rejects %j listing the known spellings', (spelling) => {
    expect(() => platformOf(spelling)).toThrow(BuildError);
    expect(() => platformOf(spelling)).toThrow(
      `unknown platform "${spelling}"; known: x86_64, linux/amd64, amd64, x64, aarch64, linux/arm64, arm64`,
    );
  });
});

describe('platformsOf', () => {
  it('reads any spelling and defaults to every platform', () => {
    expect(platformsOf(['arm64', 'x86_64']).map((p) => p.docker)).toEqual(['linux/arm64', 'linux/amd64']);
    expect(platformsOf(undefined)).toBe(PLATFORMS);
  });
});
