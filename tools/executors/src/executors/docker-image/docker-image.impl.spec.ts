import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureOutput, fakeContext } from '../../testing/executor-context';
import executor from './docker-image.impl';

const ROOT = resolve(__dirname, '../../../../..');

// These fail before any docker command: the engine-backed path is e2e/docker-images.spec.ts.
describe('docker-image executor', () => {
  afterEach(() => vi.restoreAllMocks());

  it('names the known and legacy OSes for an unknown one', async () => {
    const out = captureOutput();
    expect(await executor({ os: 'debian12', type: 'base' }, fakeContext(ROOT, 'docker-debian12', 'packages/docker/os/debian12', 'build-base'))).toEqual({ success: false });
    expect(out.stderr()).toBe('✖ docker-debian12:build-base: unknown OS "debian12"; known: amzn2023, ubuntu24 (legacy, not built: rocky9); run: ls packages/docker/os\n');
  });

  it('refuses a full image without the Oracle zips, naming oracle:sync', async () => {
    const out = captureOutput();
    const result = await executor({ os: 'amzn2023', type: 'full', oracleDir: 'external-packages/absent-in-this-spec' }, fakeContext(ROOT, 'docker-amzn2023', 'packages/docker/os/amzn2023', 'build-full'));
    expect(result).toEqual({ success: false });
    expect(out.stderr()).toMatch(/^✖ docker-amzn2023:build-full: no Oracle Instant Client zips for the full image: instantclient-basiclite-linux-x64.zip, .* missing in .*; run: npx nx run oracle:sync\n$/);
  });

  it('refuses an unknown image type', async () => {
    const out = captureOutput();
    expect(await executor({ os: 'amzn2023', type: 'slim' }, fakeContext(ROOT, 'docker-amzn2023', 'packages/docker/os/amzn2023', 'build'))).toEqual({ success: false });
    expect(out.stderr()).toBe('✖ docker-amzn2023:build: unknown image type "slim"; known: base, full\n');
  });
});
