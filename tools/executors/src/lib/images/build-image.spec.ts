import { readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../testing/temp-dir';
import { buildableDockerfile, buildImage } from './build-image';

const ROOT = resolve(__dirname, '../../../../..');

describe('buildImage', () => {
  // These fail before any docker command: the engine-backed path is e2e/docker-images.spec.ts.
  it('checks the type, then the OS, before the engine is asked', async () => {
    await expect(buildImage({ workspaceRoot: ROOT, os: 'debian12', type: 'slim' })).rejects.toThrow('unknown image type "slim"; known: base, full');
    await expect(buildImage({ workspaceRoot: ROOT, os: 'debian12', type: 'base' })).rejects.toThrow(/^unknown OS "debian12"; known: amzn2023, ubuntu24/);
  });
});

describe('buildableDockerfile', () => {
  afterEach(() => vi.restoreAllMocks());

  it('hands buildx the real file behind a link when it asks for no frontend', async () => {
    const dir = tempDir('buildable-dockerfile-');
    writeFileSync(join(dir, 'Dockerfile.real'), 'FROM scratch\n');
    symlinkSync('Dockerfile.real', join(dir, 'Dockerfile'));
    expect(await buildableDockerfile(join(dir, 'Dockerfile'), 'docker/Dockerfile', dir)).toBe(realpathSync(join(dir, 'Dockerfile.real')));
  });

  it('builds a copy without the # syntax= line when the engine lacks that frontend, and says so', async () => {
    const dir = tempDir('buildable-dockerfile-');
    const scratch = tempDir('buildable-dockerfile-scratch-');
    writeFileSync(join(dir, 'Dockerfile'), '# syntax=lava.invalid/no-such-frontend:0\nFROM scratch\n');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const copy = await buildableDockerfile(join(dir, 'Dockerfile'), 'docker/Dockerfile', scratch);
    expect(copy).toBe(join(scratch, 'Dockerfile'));
    expect(readFileSync(copy, 'utf8')).not.toMatch(/^# syntax=/m);
    expect(readFileSync(copy, 'utf8')).toContain('FROM scratch');
    expect(warn.mock.calls.flat().join('\n')).toMatch(/^⚠ docker\/Dockerfile asks for the lava\.invalid\/no-such-frontend:0 frontend, which this engine does not hold/);
  });
});
