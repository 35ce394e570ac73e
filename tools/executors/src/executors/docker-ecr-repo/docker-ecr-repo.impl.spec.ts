import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startMoto, type Moto } from '../../testing/moto';
import { captureOutput, fakeContext } from '../../testing/executor-context';
import executor from './docker-ecr-repo.impl';

const ROOT = resolve(__dirname, '../../../../..');

describe('docker-ecr-repo executor against moto', () => {
  let moto: Moto;
  const saved = { ...process.env };
  beforeAll(async () => {
    moto = await startMoto(ROOT);
  });
  afterAll(async () => moto?.stop());
  afterEach(() => {
    vi.restoreAllMocks();
    process.env = { ...saved };
  });

  it('creates base and full under the prefix, then keeps them', async () => {
    Object.assign(process.env, moto.env);
    const out = captureOutput();
    const ctx = fakeContext(ROOT, 'docker-ubuntu24', 'packages/docker/os/ubuntu24', 'ecr-repo');
    expect(await executor({ os: 'ubuntu24', prefix: 'team', endpoint: moto.endpoint }, ctx)).toEqual({ success: true });
    expect(await executor({ os: 'ubuntu24', prefix: 'team', endpoint: moto.endpoint }, ctx)).toEqual({ success: true });
    const lines = out.stdout().trim().split('\n');
    expect(lines[0]).toMatch(/^Created \d+\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/team\/lava\/ubuntu24\/base; lifecycle policy set/);
    expect(lines[1]).toMatch(/^Created .*\/team\/lava\/ubuntu24\/full;/);
    expect(lines[2]).toMatch(/^Kept .*\/team\/lava\/ubuntu24\/base;/);
  });

  it('fails in one line without a region', async () => {
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'fake', AWS_SECRET_ACCESS_KEY: 'fake', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' });
    const out = captureOutput();
    expect(await executor({ os: 'ubuntu24', endpoint: moto.endpoint }, fakeContext(ROOT, 'docker-ubuntu24', 'packages/docker/os/ubuntu24', 'ecr-repo'))).toEqual({ success: false });
    expect(out.stderr()).toBe('✖ docker-ubuntu24:ecr-repo: no AWS region for creating ECR repository dist/lava/ubuntu24/base; run: export AWS_REGION=<region> (or pass --region=<region>)\n');
  });
});
