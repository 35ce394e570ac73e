import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { onPath } from '../../lib/core/process';
import { registryConfig } from '../../lib/docker/registry-config';
import { tempDir } from '../../testing/temp-dir';

describe('registry-serve', () => {
  it('configures plain HTTP on 127.0.0.1:5001 with the given storage and deletes allowed', () => {
    const config = parse(registryConfig('/var/cache/lava-build/registry/data'));
    expect(config.http.addr).toBe('127.0.0.1:5001');
    expect(config.storage.filesystem.rootdirectory).toBe('/var/cache/lava-build/registry/data');
    expect(config.storage.delete.enabled).toBe(true);
    expect(config.auth).toBeUndefined();
  });

  it('finds an executable on PATH and only an executable', async () => {
    const dir = tempDir('registry-serve-spec-');
    await writeFile(join(dir, 'docker-registry'), '#!/bin/sh\n');
    await writeFile(join(dir, 'not-executable'), '');
    await chmod(join(dir, 'docker-registry'), 0o755);
    expect(onPath('docker-registry', `/nonexistent:${dir}`)).toBe(true);
    expect(onPath('not-executable', dir)).toBe(false);
    expect(onPath('docker-registry', '/nonexistent')).toBe(false);
  });
});
