import { describe, expect, it } from 'vitest';
import { BuildError } from './errors';
import { checkRuntime, hostPlatform, osFromOsRelease, parseRuntime, platformOf } from './platform';

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

  it('reads the host from uname -m', () => {
    expect(hostPlatform('aarch64').docker).toBe('linux/arm64');
    expect(() => hostPlatform('s390x')).toThrow('unknown platform "s390x"');
  });
});

describe('runtimes', () => {
  it.each`
    name                 | os            | python
    ${'amzn2023-py3.13'} | ${'amzn2023'} | ${'3.13'}
    ${'rocky9-py3.9'}    | ${'rocky9'}   | ${'3.9'}
    ${'debian12-py3.11'} | ${'debian12'} | ${'3.11'}
  `('parses $name', ({ name, os, python }) => {
    expect(parseRuntime(name)).toEqual({ name, os, python });
  });

  it.each(['amzn2023', 'rocky9-p3.9', 'py3.13', 'amzn2023-py3'])('rejects %j', (name) => {
    expect(() => parseRuntime(name)).toThrow(`"${name}" is not a runtime`);
  });

  it('checks a runtime against the known ones and lists them', () => {
    expect(checkRuntime('amzn2023-py3.13', ['amzn2023-py3.11', 'amzn2023-py3.13']).python).toBe('3.13');
    expect(() => checkRuntime('amzn2023-py3.8', ['amzn2023-py3.11', 'amzn2023-py3.13'], 'ls etc/builders')).toThrow(
      'unknown runtime "amzn2023-py3.8"; known: amzn2023-py3.11, amzn2023-py3.13; run: ls etc/builders',
    );
  });
});

describe('osFromOsRelease', () => {
  it.each`
    release                                                               | os
    ${'NAME="Amazon Linux"\nVERSION="2023"\nID="amzn"\nVERSION_ID="2023"'} | ${'amzn2023'}
    ${'NAME="Rocky Linux"\nID="rocky"\nVERSION_ID="9.5"'}                  | ${'rocky9'}
    ${'NAME="Ubuntu"\nID=ubuntu\nVERSION_ID="24.04"'}                      | ${'ubuntu24'}
    ${'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_ID="12"\nID=debian'} | ${'debian12'}
  `('gives $os', ({ release, os }) => {
    expect(osFromOsRelease(release)).toBe(os);
  });

  it('fails on a release file without ID or VERSION_ID', () => {
    expect(() => osFromOsRelease('NAME="Arch Linux"\nID=arch\n')).toThrow('no ID or VERSION_ID');
  });
});
