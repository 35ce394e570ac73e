import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureOutput, fakeContext } from '../../testing/executor-context';
import executor from './docker-ecr-push.impl';

// The login and the copy against moto and the local registry: e2e/docker-images.spec.ts.
describe('docker-ecr-push executor', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'docker-ecr-push-'));
    mkdirSync(join(root, 'packages/docker/os/amzn2023'), { recursive: true });
    writeFileSync(join(root, 'packages/docker/os/amzn2023/from.txt'), 'amazonlinux:2023\n');
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(root, { recursive: true, force: true });
  });

  it('names the build to run before asking AWS for a token', async () => {
    const out = captureOutput();
    const result = await executor({ os: 'amzn2023', endpoint: 'http://127.0.0.1:9' }, fakeContext(root, 'docker-amzn2023', 'packages/docker/os/amzn2023', 'ecr-push'));
    expect(result).toEqual({ success: false });
    expect(out.stderr()).toBe('✖ docker-amzn2023:ecr-push: the base image of amzn2023 has not been built; run: npx nx run docker-amzn2023:build\n');
  });
});
