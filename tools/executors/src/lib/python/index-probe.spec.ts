import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BASE_IMAGE, bridgeGateway, engineEnv, skipDockerTests } from '../../../../../e2e/support/docker';
import { startPypiIndex, tinyWheels } from '../../../../../e2e/support/pypi-index';
import { checkContainerIndex } from '../docker/builder-run';
import { checkIndexProbe, indexProbeProblem, INDEX_PROBE } from './index-probe';
import { platformOf } from '../core/platform';
import { tempDir } from '../../testing/temp-dir';

describe('indexProbeProblem', () => {
  it('OK, or no verdict, is no problem; FAIL names the index (credentials hidden) and the reason', () => {
    expect(indexProbeProblem('OK\n', 'https://pypi.org/simple')).toBeUndefined();
    expect(indexProbeProblem('', 'https://pypi.org/simple')).toBeUndefined();
    expect(indexProbeProblem('FAIL [Errno -3] Temporary failure in name resolution\n', 'https://ci:s3cret@pypi.example/simple')).toBe(
      'the builder container cannot reach the package index https://***@pypi.example/simple ([Errno -3] Temporary failure in name resolution)',
    );
    expect(() => checkIndexProbe('FAIL timed out', 'https://pypi.org/simple', 'build/lava/x (linux/arm64)')).toThrow(
      /^build\/lava\/x \(linux\/arm64\) cannot reach the package index https:\/\/pypi\.org\/simple \(timed out\); run: set PIP_INDEX_URL to an index the builder containers reach/,
    );
  });

  it('the probe itself: OK for an index that answers (even 401), FAIL for one that does not', async () => {
    const index = await startPypiIndex({ wheels: await tinyWheels(tempDir('index-probe-wheels-')), credentials: { user: 'u', password: 'p' } });
    try {
      const probe = (url: string) => execFileSync('python3', ['-c', INDEX_PROBE], { env: { ...process.env, PIP_INDEX_URL: url }, encoding: 'utf8' }).trim();
      expect(probe(index.url)).toBe('OK');
      expect(probe(index.urlWith('u', 'p'))).toBe('OK');
      expect(probe('http://127.0.0.1:9/simple')).toMatch(/^FAIL .*(refused|Errno 111)/);
    } finally {
      await index.close();
    }
  });
});

describe.skipIf(skipDockerTests())('checkContainerIndex in a real container', () => {
  // arm64: the probe still runs at the host's platform, fast, whatever the build's platform.
  const container = { workspace: tempDir('index-probe-ws-'), image: BASE_IMAGE, platform: platformOf('arm64') };
  const saved = { ...process.env };
  const withEngine = async <T>(body: () => Promise<T>): Promise<T> => {
    Object.assign(process.env, engineEnv());
    try {
      return await body();
    } finally {
      for (const key of ['DOCKER_HOST', 'DOCKER_CONFIG', 'PATH']) if (saved[key] === undefined) delete process.env[key]; else process.env[key] = saved[key];
    }
  };

  it('an index on the host\'s 127.0.0.1 is unreachable from the container: one line, in under 10 s', async () => {
    const index = await startPypiIndex({ wheels: await tinyWheels(tempDir('index-probe-wheels-')) });
    try {
      const started = Date.now();
      await expect(withEngine(() => checkContainerIndex(container, index.url))).rejects.toThrow(
        new RegExp(`^a container of localhost:5001/base/trixie-py3\\.13:r1 cannot reach the package index ${index.url.replace(/[.]/g, '\\.')} \\([^\\n]+\\); run: set PIP_INDEX_URL`),
      );
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await index.close();
    }
  }, 30_000);

  it('an index on the bridge answers', async () => {
    const gateway = await withEngine(async () => bridgeGateway());
    const index = await startPypiIndex({ wheels: await tinyWheels(tempDir('index-probe-wheels-')), host: gateway });
    try {
      await withEngine(() => checkContainerIndex(container, index.url));
    } finally {
      await index.close();
    }
  }, 30_000);
});
