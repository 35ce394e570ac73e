import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureOutput, fakeContext } from '../../testing/executor-context';
import executor from './docker-push.impl';
import { tempDir } from '../../testing/temp-dir';

// Copies between real registries: e2e/docker-images.docker.spec.ts.
describe('docker-push executor', () => {
  let root: string;
  beforeEach(() => {
    root = tempDir('docker-push-');
    mkdirSync(join(root, 'packages/docker/os/amzn2023'), { recursive: true });
    writeFileSync(join(root, 'packages/docker/os/amzn2023/from.txt'), 'amazonlinux:2023\n');
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('names the build to run when there is nothing to push, before touching docker', async () => {
    const out = captureOutput();
    expect(await executor({ os: 'amzn2023', registry: 'ghcr.io', prefix: 'me' }, fakeContext(root, 'docker-amzn2023', 'packages/docker/os/amzn2023', 'push'))).toEqual({ success: false });
    expect(out.stderr()).toBe('✖ docker-amzn2023:push: the base image of amzn2023 has not been built; run: npx nx run docker-amzn2023:build\n');
  });
});
