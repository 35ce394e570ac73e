import { describe, expect, it } from 'vitest';
import { hasVersion, indexedFiles, pypircRepository, simpleIndexUrl, twineUpload } from './pypi';

describe('publish', () => {
  it('reads a .pypirc section, PyPI the default URL of [pypi]', () => {
    const text = '[distutils]\nindex-servers =\n  pypi\n  local\n\n[pypi]\nusername = __token__\npassword = pypi-abc\n\n[local]\nrepository: http://127.0.0.1:8080/\n';
    expect(pypircRepository(text, 'pypi')).toEqual({ name: 'pypi', uploadUrl: 'https://upload.pypi.org/legacy/', username: '__token__', password: 'pypi-abc' });
    expect(pypircRepository(text, 'local')).toEqual({ name: 'local', uploadUrl: 'http://127.0.0.1:8080/', username: undefined, password: undefined });
    expect(pypircRepository(text, 'other')).toBeUndefined();
    expect(() => pypircRepository('[mine]\nusername = x\n', 'mine')).toThrow('~/.pypirc section [mine] has no repository URL');
  });

  it('finds the simple index beside an upload URL', () => {
    expect(simpleIndexUrl('https://upload.pypi.org/legacy/')).toBe('https://pypi.org/simple/');
    expect(simpleIndexUrl('https://test.pypi.org/legacy/')).toBe('https://test.pypi.org/simple/');
    expect(simpleIndexUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080/simple/');
    expect(simpleIndexUrl('https://user:pw@nexus.example/repository/pypi/legacy/')).toBe('https://nexus.example/repository/pypi/simple/');
  });

  it('tells whether a version is among the files of a simple page', () => {
    const files = indexedFiles('<a href="../x/jinlava-8.2.0.tar.gz#sha256=1">jinlava-8.2.0.tar.gz</a>\n<a href="y">jinlava-8.1.0-py3-none-any.whl</a>');
    expect(files).toEqual(['jinlava-8.2.0.tar.gz', 'jinlava-8.1.0-py3-none-any.whl']);
    expect(hasVersion(files, 'jinlava', '8.2.0')).toBe(true);
    expect(hasVersion(files, 'jinlava', '8.1.0')).toBe(true);
    expect(hasVersion(files, 'jinlava', '8.2')).toBe(false);
    expect(hasVersion(files, 'jinlava', '8.2.0.1')).toBe(false);
  });

  it('gives twine the credentials in its environment, never on the command line', () => {
    const repo = { uploadUrl: 'http://127.0.0.1:1/', username: '__token__', password: 'tok' };
    expect(twineUpload(repo, ['d/a.tar.gz'])).toEqual({
      args: ['upload', '--non-interactive', '--disable-progress-bar', '--repository-url', 'http://127.0.0.1:1/', 'd/a.tar.gz'],
      env: { TWINE_USERNAME: '__token__', TWINE_PASSWORD: 'tok' },
    });
    expect(twineUpload({ ...repo, name: 'local' }, ['a'], '/h/.pypirc').args).toEqual([
      'upload', '--non-interactive', '--disable-progress-bar', '--config-file', '/h/.pypirc', '--repository', 'local', 'a',
    ]);
  });
});
