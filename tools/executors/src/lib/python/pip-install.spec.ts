import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installRequirements } from './pip-install';

describe('installRequirements', () => {
  it('fails with one line and keeps the credentials out of message and detail', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pip-spec-'));
    try {
      await writeFile(join(dir, 'r.txt'), 'lava-no-such-package-xyz==1.0\n');
      const failure = installRequirements({
        python: 'python3',
        requirements: join(dir, 'r.txt'),
        target: join(dir, 'pylib'),
        indexUrl: 'http://user:hunter22@127.0.0.1:9/simple',
        passIndex: true,
        run: { stream: false, env: { PIP_RETRIES: '1' } },
      });
      const error = await failure.then(
        () => undefined,
        (e: unknown) => e as { message: string; detail?: string },
      );
      expect(error?.message).toMatch(/^pip could not get lava-no-such-package-xyz==1\.0 from http:\/\/\*\*\*@127\.0\.0\.1:9\/simple \(the index is unreachable\)/);
      expect(`${error?.message}\n${error?.detail}`).not.toContain('hunter22');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
