import { resolve } from 'node:path';
import type { CreateNodesContext } from '@nx/devkit';
import { describe, expect, it } from 'vitest';
import { createNodes } from './docker-images';

const ROOT = resolve(__dirname, '../../../..');
const context = { workspaceRoot: ROOT, nxJsonConfiguration: {} } as unknown as CreateNodesContext;
const FILES = [
  'packages/docker/os/amzn2023/from.txt',
  'packages/docker/os/ubuntu24/from.txt',
  'packages/docker/os.legacy/rocky9/from.txt',
  'e2e/fixtures/docker/os/fakedebian13/from.txt',
];

async function projects(options: Record<string, string> = {}) {
  const results = await createNodes[1](FILES, options, context);
  return Object.fromEntries(results.flatMap(([, r]) => Object.values(r.projects ?? {})).map((p) => [p.name, p]));
}

describe('docker-images plugin', () => {
  it('infers one project per OS folder under the docker root, none for legacy ones or other roots', async () => {
    expect(Object.keys(await projects()).sort()).toEqual(['docker-amzn2023', 'docker-ubuntu24']);
    expect(Object.keys(await projects({ dockerRoot: 'e2e/fixtures/docker' }))).toEqual(['docker-fakedebian13']);
  });

  it('gives every project the make targets, with the cached builds declaring what they copy', async () => {
    const p = (await projects())['docker-amzn2023'];
    expect(p.metadata?.description).toBe('lava images for amzn2023 (packages/docker/os/amzn2023); legacy OSes, listed and not built: rocky9 (packages/docker/os.legacy)');
    expect(Object.keys(p.targets ?? {})).toEqual(['build-base', 'build-full', 'build', 'check', 'push', 'ecr-repo', 'ecr-push']);
    const base = p.targets?.['build-base'];
    expect(base?.cache).toBe(true);
    expect(base?.inputs).toEqual(expect.arrayContaining(['{projectRoot}/base/**/*', '{workspaceRoot}/packages/lava/**/*', '{workspaceRoot}/packages/docker/Dockerfile', 'version', { env: 'PIP_INDEX_URL' }]));
    expect(base?.outputs).toEqual(['{workspaceRoot}/dist/docker/amzn2023/base.json']);
    const full = p.targets?.['build-full'];
    expect(full?.dependsOn).toContain('build-base');
    expect(full?.inputs).toContainEqual({ dependentTasksOutputFiles: 'dist/docker/amzn2023/base.json', transitive: false });
    expect(full?.inputs).toContainEqual({ runtime: expect.stringContaining('sha256sum instantclient-basiclite-linux-x64.zip') });
    expect(full?.inputs).not.toContain('{workspaceRoot}/packages/lava/**/*');
    // task-level affected: `nx affected -t build` must see what build-base and build-full read.
    expect(p.targets?.build?.inputs).toEqual(expect.arrayContaining(['{workspaceRoot}/packages/lava/**/*', '{projectRoot}/full/**/*', '{workspaceRoot}/packages/docker/common/**/*']));
    for (const t of ['check', 'push', 'ecr-repo', 'ecr-push']) expect(p.targets?.[t]?.cache).toBe(false);
    expect(p.targets?.push?.options).toMatchObject({ registry: 'ghcr.io', prefix: 'jin-gizmo' });
    expect(p.targets?.['ecr-repo']?.options).toMatchObject({ prefix: 'dist' });
  });
});
