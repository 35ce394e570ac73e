import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureStderr, fakeContext } from '../../testing/executor-context';
import builderImage from './builder-image.impl';
import { tempDir } from '../../testing/temp-dir';

async function workspace(): Promise<string> {
  const root = tempDir('builder-image-spec-');
  await mkdir(join(root, 'etc/builders'), { recursive: true });
  await writeFile(join(root, 'etc/builders/amzn2023-py3.13.Dockerfile'), 'FROM scratch\n');
  return root;
}

describe('builder-image executor', () => {
  afterEach(() => vi.unstubAllEnvs());

  it.each([
    ['a missing Dockerfile', { runtime: 'amzn2023-py3.12', dockerfile: 'etc/builders/amzn2023-py3.12.Dockerfile' }, 'etc/builders/amzn2023-py3.12.Dockerfile is missing; run: ls etc/builders'],
    ['an unknown platform', { runtime: 'amzn2023-py3.13', dockerfile: 'etc/builders/amzn2023-py3.13.Dockerfile', platforms: ['linux/s390x'] }, 'unknown platform "linux/s390x"'],
  ])('fails in one line on %s', async (_, options, line) => {
    const root = await workspace();
    const { result, stderr } = await captureStderr(() => builderImage(options, fakeContext(root, 'builder-amzn2023-py3.13', 'etc/builders/amzn2023-py3.13')));
    expect(result.success).toBe(false);
    expect(stderr).toContain(line);
  });

  it('says how to get an engine when none answers, and writes no digest', async () => {
    vi.stubEnv('DOCKER_HOST', 'unix:///nonexistent/docker.sock');
    const root = await workspace();
    const { result, stderr } = await captureStderr(() =>
      builderImage({ runtime: 'amzn2023-py3.13', dockerfile: 'etc/builders/amzn2023-py3.13.Dockerfile' }, fakeContext(root, 'builder-amzn2023-py3.13', 'etc/builders/amzn2023-py3.13')),
    );
    expect(result.success).toBe(false);
    expect(stderr).toMatch(/no docker engine answers at DOCKER_HOST=unix:\/\/\/nonexistent\/docker\.sock; run: eval "\$\(tools\/docker-engine\/engine\.sh up\)"|docker not found on PATH/);
    expect(existsSync(join(root, 'dist'))).toBe(false);
  });
});
