import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { PYTHON_ENV_STAMP } from '../../lib/python/venv';
import { captureStderr, fakeContext } from '../../testing/executor-context';
import pythonEnv from './python-env.impl';
import { tempDir } from '../../testing/temp-dir';

let root: string;
// The pin the workspace's own tools use, so pip's cache already holds its wheel.
const UV_PIN = readFileSync(join(__dirname, '../../../../python/requirements.txt'), 'utf8').match(/^uv==\S+/m)![0];
const context = () => fakeContext(root, 'python-env', 'tools/python', 'init');

beforeEach(() => {
  root = tempDir('python-env-spec-');
  mkdirSync(join(root, 'tools/python'), { recursive: true });
});

describe('python-env', () => {
  it('creates the environment once, then does nothing while requirements and Python are unchanged', async () => {
    writeFileSync(join(root, 'tools/python/requirements.txt'), `# uv alone, which installs the rest\n${UV_PIN}\n`);
    expect(await pythonEnv({}, context())).toEqual({ success: true });
    expect(existsSync(join(root, '.venv/bin/python'))).toBe(true);
    expect(existsSync(join(root, '.venv/bin/uv'))).toBe(true);
    const stamp = statSync(join(root, '.venv', PYTHON_ENV_STAMP)).mtimeMs;

    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await pythonEnv({}, context())).toEqual({ success: true });
    expect(log.mock.calls.flat().join("\n")).toMatch(/is up to date \(\/\S*python/);
    log.mockRestore();
    expect(statSync(join(root, '.venv', PYTHON_ENV_STAMP)).mtimeMs).toBe(stamp);
  });

  it('says in one line that the index is unreachable, leaves no half-made environment and never prints the index credentials', async () => {
    writeFileSync(join(root, 'tools/python/requirements.txt'), `${UV_PIN}\nlava-no-such-package==1.0\n`);
    const index = 'http://builder:hunter2secret@127.0.0.1:9/simple';
    vi.stubEnv('PIP_INDEX_URL', index);
    vi.stubEnv('PIP_RETRIES', '0');
    vi.stubEnv('PIP_TIMEOUT', '2');
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const { result, stderr } = await captureStderr(() => pythonEnv({}, context()));
      const seen = stderr + stdout.mock.calls.map((c) => String(c[0])).join('');
      expect(result).toEqual({ success: false });
      expect(stderr).toContain(`✖ python-env:init: pip could not get ${UV_PIN} from http://***@127.0.0.1:9/simple (the index is unreachable)`);
      expect(seen).not.toContain('hunter2secret');
      expect(existsSync(join(root, '.venv'))).toBe(false);
    } finally {
      stdout.mockRestore();
      vi.unstubAllEnvs();
    }
  });

  it('refuses a requirements file that pins no uv, naming the fix', async () => {
    writeFileSync(join(root, 'tools/python/requirements.txt'), 'pip==26.3\n');
    const { result, stderr } = await captureStderr(() => pythonEnv({}, context()));
    expect(result.success).toBe(false);
    expect(stderr).toMatch(/pins no uv .*; run: add uv==<version> to tools\/python\/requirements.txt/);
    expect(existsSync(join(root, '.venv'))).toBe(false);
  });

  it('names the missing requirements file', async () => {
    const { result, stderr } = await captureStderr(() => pythonEnv({ requirements: 'tools/python/nope.txt' }, context()));
    expect(result.success).toBe(false);
    expect(stderr).toContain('tools/python/nope.txt is missing');
  });
});
