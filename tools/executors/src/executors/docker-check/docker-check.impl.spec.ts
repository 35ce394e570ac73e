import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureOutput, fakeContext } from '../../testing/executor-context';
import executor from './docker-check.impl';

const ROOT = resolve(__dirname, '../../../../..');

// Passing and failing checks on real images: e2e/docker-images.docker.spec.ts.
describe('docker-check executor', () => {
  afterEach(() => vi.restoreAllMocks());

  it('says a legacy OS is not built and how to bring it back', async () => {
    const out = captureOutput();
    expect(await executor({ os: 'rocky9' }, fakeContext(ROOT, 'docker-rocky9', 'packages/docker/os/rocky9', 'check'))).toEqual({ success: false });
    expect(out.stderr()).toMatch(/^✖ docker-rocky9:check: OS "rocky9" is legacy \(packages\/docker\/os.legacy\/rocky9\) and is not built; known: amzn2023, ubuntu24; run: git mv /);
  });
});
