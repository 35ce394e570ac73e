import { describe, expect, it } from 'vitest';
import { osFromOsRelease, parseRuntime } from './runtime';

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
