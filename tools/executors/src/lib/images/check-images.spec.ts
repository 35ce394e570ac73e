import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp-dir';
import { checkImages } from './check-images';

// Passing and failing checks on real images: e2e/docker-images.spec.ts.
describe('checkImages', () => {
  function workspace(): string {
    const root = tempDir('check-images-');
    mkdirSync(join(root, 'packages/docker/os/amzn2023'), { recursive: true });
    writeFileSync(join(root, 'packages/docker/os/amzn2023/from.txt'), 'amazonlinux:2023\n');
    return root;
  }

  it('refuses an unknown type or platform, and a tree without its check script, before the engine is asked', async () => {
    const root = workspace();
    await expect(checkImages({ workspaceRoot: root, os: 'amzn2023', types: ['slim'] })).rejects.toThrow('unknown image type "slim"; known: base, full');
    await expect(checkImages({ workspaceRoot: root, os: 'amzn2023', platforms: ['ppc64le'] })).rejects.toThrow('unknown platform "ppc64le"');
    await expect(checkImages({ workspaceRoot: root, os: 'amzn2023' })).rejects.toThrow(
      'packages/docker/common/img-check.sh is missing: it is what checks the images; run: git checkout -- packages/docker/common/img-check.sh',
    );
  });
});
