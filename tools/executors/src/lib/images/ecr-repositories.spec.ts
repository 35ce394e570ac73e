import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp-dir';
import { ensureImageRepositories } from './ecr-repositories';

// Against moto: ecr.spec.ts and the docker-ecr-repo executor's spec.
describe('ensureImageRepositories', () => {
  it('checks the types and the lifecycle policy before AWS is asked', async () => {
    const root = tempDir('ecr-repositories-');
    mkdirSync(join(root, 'packages/docker/os/amzn2023'), { recursive: true });
    writeFileSync(join(root, 'packages/docker/os/amzn2023/from.txt'), 'amazonlinux:2023\n');
    const unreachable = { workspaceRoot: root, os: 'amzn2023', endpoint: 'http://127.0.0.1:9' };
    await expect(ensureImageRepositories({ ...unreachable, types: ['slim'] })).rejects.toThrow('unknown image type "slim"; known: base, full');
    await expect(ensureImageRepositories(unreachable)).rejects.toThrow(/^packages\/docker\/lifecycle\.json is missing/);
  });
});
