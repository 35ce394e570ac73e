import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureStderr, fakeContext } from '../../testing/executor-context';
import foreignBundle from './foreign-bundle.impl';
import { tempDir } from '../../testing/temp-dir';

describe('foreign-bundle executor', () => {
  it.each([
    ['an unknown builder, listing the builders', { runtime: 'ubuntu24-py3.12', platform: 'arm64' }, 'unknown builder "ubuntu24-py3.12"; known: amzn2023-py3.13; run: ls etc/builders'],
    ['an unknown platform', { runtime: 'amzn2023-py3.13', platform: 'ppc64le' }, 'unknown platform "ppc64le"'],
    ['missing requirement files', { runtime: 'amzn2023-py3.13', platform: 'arm64' }, 'requirement files missing: packages/lava/requirements.txt, packages/lava/requirements-extra.txt'],
  ])('fails in one line on %s, writing nothing', async (_, options, line) => {
    const root = tempDir('foreign-bundle-spec-');
    const ctx = fakeContext(root, 'worker-bundle', 'packages/lava', 'pkg--amzn2023-py3.13-arm64');
    ctx.projectsConfigurations.projects['builder-amzn2023-py3.13'] = { root: 'etc/builders/amzn2023-py3.13' };
    const { result, stderr } = await captureStderr(() => foreignBundle(options, ctx));
    expect(result.success).toBe(false);
    expect(stderr).toContain(line);
    expect(existsSync(join(root, 'dist'))).toBe(false);
  });
});
