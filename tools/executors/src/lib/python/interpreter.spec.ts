import { chmodSync, existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { cachedPythonVersion, interpreterKey, PROBE_CACHE_FILE, resolveInterpreter } from './interpreter';
import { pyenvSelector } from './venv';
import { tempDir } from '../../testing/temp-dir';

describe('cachedPythonVersion', () => {
  let root: string;

  function fakePython(dir: string, version: string): string {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'python-fake');
    writeFileSync(file, `\x7fELF fake ${version}`);
    chmodSync(file, 0o755);
    return file;
  }

  it('asks the interpreter once, then answers from the cache until the interpreter changes', () => {
    root = tempDir('python-probe-');
    const python = fakePython(join(root, 'bin'), '3.11');
    const asked: string[] = [];
    const ask = (p: string) => (asked.push(p), readFileSync(p, 'latin1').split(' ').pop()!);
    expect(cachedPythonVersion(python, root, ask)).toBe('3.11');
    expect(cachedPythonVersion(python, root, ask)).toBe('3.11');
    expect(asked).toHaveLength(1);
    expect(existsSync(join(root, PROBE_CACHE_FILE))).toBe(true);

    // An upgrade in place: a new binary (new mtime) is asked again.
    writeFileSync(python, '\x7fELF fake 3.12');
    utimesSync(python, new Date(), new Date(Date.now() + 5000));
    expect(cachedPythonVersion(python, root, ask)).toBe('3.12');
    expect(asked).toHaveLength(2);
  });

  it('keys a bare name by the file PATH resolves it to, and a missing interpreter is asked (and fails) every time', () => {
    root = tempDir('python-probe-');
    const a = fakePython(join(root, 'a'), '3.11');
    fakePython(join(root, 'b'), '3.13');
    expect(resolveInterpreter('python-fake', `${join(root, 'a')}:${join(root, 'b')}`)).toBe(a);
    expect(interpreterKey('python-fake', `${join(root, 'b')}:${join(root, 'a')}`)).toContain(join(root, 'b'));
    expect(resolveInterpreter('python-lava-missing', join(root, 'a'))).toBeUndefined();
    let calls = 0;
    const fail = () => {
      calls++;
      throw new Error('ENOENT');
    };
    expect(() => cachedPythonVersion('python-lava-missing', root, fail)).toThrow();
    expect(() => cachedPythonVersion('python-lava-missing', root, fail)).toThrow();
    expect(calls).toBe(2);
  });

  it('keys a script (a pyenv shim) also by the version pyenv would pick', () => {
    root = tempDir('python-probe-');
    mkdirSync(join(root, 'shims'));
    const shim = join(root, 'shims', 'python3');
    writeFileSync(shim, '#!/usr/bin/env bash\nexec pyenv exec python3 "$@"\n');
    const before = interpreterKey(shim, undefined, root);
    writeFileSync(join(root, '.python-version'), '3.12.1\n');
    expect(interpreterKey(shim, undefined, root)).not.toBe(before);
  });

  it('answers the real python3 as the interpreter does', () => {
    root = tempDir('python-probe-');
    expect(cachedPythonVersion('python3', root)).toMatch(/^3\.\d+$/);
    expect(JSON.parse(readFileSync(join(root, PROBE_CACHE_FILE), 'utf8'))).toEqual(expect.any(Object));
  });
});

describe('pyenvSelector', () => {
  it('spells what a pyenv shim picks by, as the shell’s ${PYENV_VERSION}|$(cat …)|$(cat …) does', () => {
    const root = tempDir('pyenv-selector-');
    mkdirSync(join(root, 'pyenv'));
    writeFileSync(join(root, 'pyenv', 'version'), '3.11.7\n\n');
    expect(pyenvSelector(root, { PYENV_ROOT: join(root, 'pyenv') })).toBe('||3.11.7');
    writeFileSync(join(root, '.python-version'), '3.12.1\n');
    expect(pyenvSelector(root, { PYENV_ROOT: join(root, 'pyenv'), PYENV_VERSION: '3.13.0' })).toBe('3.13.0|3.12.1|3.11.7');
    const shell = execFileSync('sh', ['-c', 'echo "${PYENV_VERSION:-}|$(cat .python-version 2>/dev/null)|$(cat "${PYENV_ROOT:-$HOME/.pyenv}/version" 2>/dev/null)"'], {
      cwd: root,
      env: { PATH: process.env.PATH, PYENV_ROOT: join(root, 'pyenv'), PYENV_VERSION: '3.13.0' },
    }).toString().trim();
    expect(shell).toBe('3.13.0|3.12.1|3.11.7');
  });
});
