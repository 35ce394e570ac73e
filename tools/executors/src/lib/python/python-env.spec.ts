import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp-dir';
import { createPythonEnv, planPythonEnv } from './python-env';
import { PYTHON_ENV_STAMP } from './venv';

function workspace(requirements = 'uv==0.9.0\nruff==0.6.0\n'): string {
  const root = tempDir('python-env-lib-');
  mkdirSync(join(root, 'tools/python'), { recursive: true });
  writeFileSync(join(root, 'tools/python/requirements.txt'), requirements);
  return root;
}

describe('planPythonEnv', () => {
  it('reads the uv pin and is out of date until the stamp it computes is written', () => {
    const root = workspace();
    const plan = planPythonEnv({ workspaceRoot: root });
    expect(plan).toMatchObject({ venv: join(root, '.venv'), uvVersion: '0.9.0', python: 'python3', upToDate: false });
    expect(plan.stamp).toMatch(/^[0-9a-f]{64} \/\S+ \d+ /);
    mkdirSync(plan.venv);
    writeFileSync(join(plan.venv, PYTHON_ENV_STAMP), `${plan.stamp}\n`);
    expect(planPythonEnv({ workspaceRoot: root }).upToDate).toBe(true);
    expect(planPythonEnv({ workspaceRoot: root, force: true }).upToDate).toBe(false);
    writeFileSync(join(root, 'tools/python/requirements.txt'), 'uv==0.9.1\n');
    expect(planPythonEnv({ workspaceRoot: root }).upToDate).toBe(false);
  });

  it('names what is missing in one line with its fix', () => {
    const root = workspace('ruff==0.6.0\n');
    expect(() => planPythonEnv({ workspaceRoot: root, requirements: 'nope.txt' })).toThrow(`requirements file ${join(root, 'nope.txt')} is missing`);
    expect(() => planPythonEnv({ workspaceRoot: root })).toThrow(
      'tools/python/requirements.txt pins no uv (uv==X.Y.Z), which installs the tools; run: add uv==<version> to tools/python/requirements.txt',
    );
    writeFileSync(join(root, 'tools/python/requirements.txt'), 'uv==0.9.0\n');
    expect(() => planPythonEnv({ workspaceRoot: root, python: 'lava-no-such-python' })).toThrow('no lava-no-such-python on PATH; run: apt-get install python3 python3-venv');
  });
});

describe('createPythonEnv', () => {
  it('removes a half-made environment when a step fails', async () => {
    const root = workspace();
    const plan = { ...planPythonEnv({ workspaceRoot: root }), python: 'false' };
    mkdirSync(plan.venv);
    writeFileSync(join(plan.venv, 'stale'), '');
    await expect(createPythonEnv(plan)).rejects.toThrow(/creating the Python environment failed/);
    expect(existsSync(plan.venv)).toBe(false);
  });
});
