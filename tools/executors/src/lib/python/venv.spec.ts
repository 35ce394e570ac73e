import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp-dir';
import { envStamp, pinnedVersion, pyenvSelector, PYTHON_ENV_DIR, PYTHON_ENV_STAMP, PYTHON_TOOLS_REQUIREMENTS } from './venv';

describe('pinnedVersion', () => {
  it('finds a pin by its PEP 503 name, extras and markers aside', () => {
    const text = '# tools\nUV == 0.13.8 ; python_version >= "3.8"\nmoto[server]==5.2.5\nuvicorn==1.0\n';
    expect(pinnedVersion(text, 'uv')).toBe('0.13.8');
    expect(pinnedVersion(text, 'moto')).toBe('5.2.5');
    expect(pinnedVersion(text, 'pip')).toBeUndefined();
  });
});

describe('tools/python/env-stamp.sh (python-env:init runtime input)', () => {
  const SCRIPT = resolve(__dirname, '../../../../python/env-stamp.sh');

  /** A workspace with requirements, a python3 link on its own PATH and a pyenv root, as the shell sees them. */
  function workspace() {
    const root = tempDir();
    mkdirSync(join(root, 'tools/python'), { recursive: true });
    writeFileSync(join(root, PYTHON_TOOLS_REQUIREMENTS), 'uv==0.1.0\nbuild==1.0\n');
    const bin = join(root, 'bin');
    mkdirSync(bin);
    writeFileSync(join(root, 'interpreter'), '#!/bin/sh\n');
    chmodSync(join(root, 'interpreter'), 0o755);
    symlinkSync(join(root, 'interpreter'), join(bin, 'python3'));
    const env = { PATH: `${bin}:/usr/bin:/bin`, HOME: root, PYENV_ROOT: join(root, 'pyenv') };
    mkdirSync(env.PYENV_ROOT);
    writeFileSync(join(env.PYENV_ROOT, 'version'), '3.11.7\n3.12.1\n');
    writeFileSync(join(root, '.python-version'), '3.11.7\n\n');
    mkdirSync(join(root, PYTHON_ENV_DIR));
    const run = () => execFileSync('sh', ['-c', `. '${SCRIPT}'`], { cwd: root, env }).toString();
    const stamp = () => {
      const interpreter = realpathSync(join(bin, 'python3'));
      const sha = createHash('sha256').update(`uv==0.1.0\nbuild==1.0\n`).digest('hex');
      return envStamp(sha, interpreter, statSync(interpreter).mtimeMs, pyenvSelector(root, env));
    };
    return { root, bin, run, stamp };
  }

  it('prints the stamp python-env:init writes, exactly as envStamp spells it, when .venv holds it', () => {
    const ws = workspace();
    writeFileSync(join(ws.root, PYTHON_ENV_DIR, PYTHON_ENV_STAMP), `${ws.stamp()}\n`);
    expect(ws.run()).toBe(`${ws.stamp()}\n`);
    expect(ws.run()).toBe(ws.run());
  });

  it('prints a new nonce each time when .venv has no stamp or another one (a miss, never a stale hit)', () => {
    const ws = workspace();
    const absent = ws.run();
    expect(absent).toMatch(/^absent or stale: \d+\n$/);
    expect(ws.run()).not.toBe(absent);
    writeFileSync(join(ws.root, PYTHON_ENV_DIR, PYTHON_ENV_STAMP), `${ws.stamp()}\n`);
    // Another interpreter behind the same name: the stamp no longer matches.
    copyFileSync(join(ws.root, 'interpreter'), join(ws.root, 'other'));
    execFileSync('ln', ['-sfn', join(ws.root, 'other'), join(ws.bin, 'python3')]);
    expect(ws.run()).toMatch(/^absent or stale: /);
  });
});
