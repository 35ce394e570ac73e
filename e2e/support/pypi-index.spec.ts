// The test index itself, checked with real pip: what the bundle tests rely on.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPypiIndex, tinyWheels, type PypiIndex } from './pypi-index';

let scratch: string;
let index: PypiIndex;
beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'pypi-index-'));
  const wheels = await tinyWheels(join(scratch, 'wheels'));
  index = await startPypiIndex({ wheels, credentials: { user: 'lava', password: 'pw-0f3c' } });
});
afterAll(async () => {
  await index?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const pip = (target: string, url: string) =>
  spawnSync('python3', ['-m', 'pip', 'install', '--no-input', '--disable-pip-version-check', '--target', target, 'tinypure==1.0', 'tinyplat==2.0'], {
    encoding: 'utf8',
    env: { ...process.env, PIP_INDEX_URL: url, PIP_RETRIES: '0', PIP_FIND_LINKS: '' },
  });

describe('the local PEP 503 index', () => {
  it('serves both wheels to real pip, and logs that pip used it', () => {
    const target = join(scratch, 'ok');
    const result = pip(target, index.urlWith('lava', 'pw-0f3c'));
    expect(result.status, result.stderr).toBe(0);
    expect(readdirSync(target).sort()).toEqual(expect.arrayContaining(['tinyplat', 'tinypure', 'tinypure-1.0.dist-info']));
    expect(existsSync(join(target, 'tinyplat/_native.abi3.so'))).toBe(true);
    const served = index.requests().filter((r) => r.status === 200).map((r) => r.path);
    expect(served).toEqual(expect.arrayContaining(['/simple/tinypure/', '/simple/tinyplat/']));
    expect(served.some((p) => p.startsWith('/files/tinyplat-2.0-'))).toBe(true);
    expect(index.requests().every((r) => r.status !== 200 || r.user === 'lava')).toBe(true);
  });

  it('refuses pip without the credentials', () => {
    const result = pip(join(scratch, 'refused'), index.url);
    expect(result.status).not.toBe(0);
    expect(index.requests().some((r) => r.status === 401)).toBe(true);
  });

  it('tags the platform wheel for this host', () => {
    const tag = execFileSync('python3', ['-c', 'from pip._vendor.packaging.tags import sys_tags; print(next(iter(sys_tags())))']).toString().trim();
    expect(index.requests().some((r) => r.path === `/files/tinyplat-2.0-${tag}.whl`)).toBe(true);
  });
});
