import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseVersion, readVersion, VERSION_FILE } from './version';
import { tempDir } from '../../testing/temp-dir';

describe('version', () => {
  it('reads the workspace version file in the real lava format', () => {
    const version = readVersion(resolve(__dirname, '../../../../..'));
    expect(version.full).toBe(`${version.num} (${version.name})`);
    expect(version.num).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('gives the number, the name and what version.py --all prints', () => {
    expect(parseVersion('{"__version_num__": "8.2.0", "__version_name__": "Kilauea"}')).toEqual({
      num: '8.2.0',
      name: 'Kilauea',
      full: '8.2.0 (Kilauea)',
    });
  });

  it.each([
    ['{"__version_num__": "8.2", "__version_name__": "K"}', '8.2'],
    ['{"__version_num__": "8.3.0rc1", "__version_name__": "K"}', '8.3.0rc1'],
    ['{"__version_num__": "8.2.0.post1", "__version_name__": "K"}', '8.2.0.post1'],
  ])('accepts PEP 440 versions: %s', (text, num) => {
    expect(parseVersion(text).num).toBe(num);
  });

  it.each([
    ['{"__version_num__": "v8.2.0", "__version_name__": "K"}', '"__version_num__" must be a PEP 440 version'],
    ['{"__version_num__": "8.2.0"}', '"__version_name__" must be a non-empty string'],
    ['{"__version_num__": 8, "__version_name__": "K"}', 'got 8'],
    ['not json', 'not valid JSON'],
  ])('rejects %s', (text, message) => {
    expect(() => parseVersion(text)).toThrow(message);
  });

  it('names the file and how to restore it when it is missing', () => {
    const root = tempDir('version-spec-');
    expect(() => readVersion(root)).toThrow(`version file ${VERSION_FILE} is missing; run: git checkout -- ${VERSION_FILE}`);
    mkdirSync(join(root, 'packages/lava/lava'), { recursive: true });
    writeFileSync(join(root, VERSION_FILE), '{"__version_num__": "9.0.0", "__version_name__": "Mauna Loa"}');
    expect(readVersion(root).full).toBe('9.0.0 (Mauna Loa)');
  });
});
