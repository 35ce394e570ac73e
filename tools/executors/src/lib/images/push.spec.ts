import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp-dir';
import { pushImages, pushImagesToEcr } from './push';

// The copies themselves, between real registries and against moto: e2e/docker-images.spec.ts.
function workspace(): string {
  const root = tempDir('image-push-');
  mkdirSync(join(root, 'packages/docker/os/amzn2023'), { recursive: true });
  writeFileSync(join(root, 'packages/docker/os/amzn2023/from.txt'), 'amazonlinux:2023\n');
  return root;
}

describe('pushing the images of one OS', () => {
  it('names the build to run before docker or AWS is asked', async () => {
    const root = workspace();
    const notBuilt = 'the base image of amzn2023 has not been built; run: npx nx run docker-amzn2023:build';
    await expect(pushImages({ workspaceRoot: root, os: 'amzn2023' })).rejects.toThrow(notBuilt);
    await expect(pushImagesToEcr({ workspaceRoot: root, os: 'amzn2023', endpoint: 'http://127.0.0.1:9' })).rejects.toThrow(notBuilt);
  });

  it('refuses an unknown OS or image type first', async () => {
    const root = workspace();
    await expect(pushImages({ workspaceRoot: root, os: 'amzn2023', types: ['slim'] })).rejects.toThrow('unknown image type "slim"; known: base, full');
    await expect(pushImagesToEcr({ workspaceRoot: root, os: 'rocky9' })).rejects.toThrow(/^unknown OS "rocky9"; known: amzn2023/);
  });

  it('reads its default registry from image-metadata.json, naming a broken one', async () => {
    const root = workspace();
    writeFileSync(join(root, 'packages/docker/image-metadata.json'), '{}');
    await expect(pushImages({ workspaceRoot: root, os: 'amzn2023' })).rejects.toThrow(/^packages\/docker\/image-metadata\.json: "labels\.title" must be a string/);
  });
});
