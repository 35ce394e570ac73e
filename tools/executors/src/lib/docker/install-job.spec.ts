import { afterEach, describe, expect, it, vi } from 'vitest';
import { platformOf } from '../core/platform';
import { jobRunArgs } from './builder-container';
import { installJob, uvHostDirs, type ContainerInstall } from './install-job';

const install: ContainerInstall = {
  workspace: '/ws',
  image: 'localhost:5001/build/lava/amzn2023-py3.13@sha256:abc',
  platform: platformOf('arm64'),
  builder: 'amzn2023-py3.13',
  requirements: ['packages/lava/requirements.txt', 'packages/lava/requirements-extra.txt'],
  buildConstraints: 'tools/python/build-constraints.txt',
  output: '/tmp/out',
  indexUrl: 'https://me:s3cret@pypi.example/simple',
};
const uv = { binary: '/cache/uv/bin/0.13.8/aarch64/uv', cache: '/cache/uv/cache/amzn2023-py3.13-aarch64', pipConfig: '' };

afterEach(() => vi.unstubAllEnvs());

describe('installJob with uv', () => {
  it('runs the mounted uv over every requirement file at once, build constraints on its command line', () => {
    const job = installJob(install, uv);
    expect(job.command).toEqual([
      '/lava/uv/uv', 'pip', 'install', '--python', 'python3', '--no-progress', '--target', '/lava/out',
      '--build-constraints', '/lava/build/tools/python/build-constraints.txt',
      '--requirement', '/lava/build/packages/lava/requirements.txt', '--requirement', '/lava/build/packages/lava/requirements-extra.txt',
    ]);
    expect(job.mounts).toEqual([
      { source: '/ws', target: '/lava/build', readOnly: true },
      { source: uv.binary, target: '/lava/uv/uv', readOnly: true },
      { source: uv.cache, target: '/lava/uv-cache', readOnly: false },
    ]);
    expect(job.output).toEqual({ source: '/tmp/out', target: '/lava/out' });
    expect(job.env).toMatchObject({ UV_CACHE_DIR: '/lava/uv-cache', UV_LINK_MODE: 'copy', UV_NO_CONFIG: '1', UV_PYTHON_DOWNLOADS: 'never', HOME: '/tmp' });
  });

  it('passes the index by name only: no credentials in docker’s argv', () => {
    const job = installJob(install, uv);
    expect(job.secretEnv).toEqual({ UV_INDEX_URL: install.indexUrl, UV_DEFAULT_INDEX: install.indexUrl });
    const argv = jobRunArgs(job);
    expect(argv.join(' ')).not.toContain('s3cret');
    expect(argv).toEqual(expect.arrayContaining(['-e', 'UV_INDEX_URL', '-v', '/ws:/lava/build:ro', '-v', `${uv.binary}:/lava/uv/uv:ro`, '-v', `${uv.cache}:/lava/uv-cache`, '-v', '/tmp/out:/lava/out']));
  });

  it('gives uv pip’s settings, mounting the CA bundle and a find-links folder of the host', () => {
    const pipConfig = [
      ":env:.extra-index-url='https://u:pw@extra.example/simple'",
      "global.cert='/etc/ssl/corp.pem'",
      "global.find-links='/srv/wheels https://links.example/'",
      "global.trusted-host='extra.example'",
    ].join('\n');
    const job = installJob(install, { ...uv, pipConfig });
    expect(job.secretEnv).toMatchObject({ UV_INDEX: 'https://u:pw@extra.example/simple', UV_FIND_LINKS: '/lava/pip/find-links/0,https://links.example/' });
    expect(job.env).toMatchObject({ SSL_CERT_FILE: '/lava/pip/cert.pem', UV_INSECURE_HOST: 'extra.example', UV_INDEX_STRATEGY: 'unsafe-best-match' });
    expect(job.mounts).toEqual(
      expect.arrayContaining([
        { source: '/etc/ssl/corp.pem', target: '/lava/pip/cert.pem', readOnly: true },
        { source: '/srv/wheels', target: '/lava/pip/find-links/0', readOnly: true },
      ]),
    );
    expect(jobRunArgs(job).join(' ')).not.toContain('pw@');
  });
});

describe('installJob with pip', () => {
  it('runs the builder’s pip, build constraints by environment (older pips ignore it), the index by name', () => {
    vi.stubEnv('PIP_TRUSTED_HOST', 'pypi.example');
    vi.stubEnv('PIP_EXTRA_INDEX_URL', undefined);
    const job = installJob(install);
    expect(job.command.slice(0, 4)).toEqual(['python3', '-m', 'pip', 'install']);
    // On the command line it would fail a pip older than 25.3.
    expect(job.command).not.toContain('--build-constraint');
    expect(job.env).toMatchObject({ PIP_BUILD_CONSTRAINT: '/lava/build/tools/python/build-constraints.txt', PIP_NO_CACHE_DIR: '1' });
    expect(job.secretEnv).toEqual({ PIP_INDEX_URL: install.indexUrl, PIP_TRUSTED_HOST: 'pypi.example' });
    expect(job.mounts).toEqual([{ source: '/ws', target: '/lava/build', readOnly: true }]);
  });
});

describe('uvHostDirs', () => {
  it('keeps one binary per version and arch, and one cache per builder and arch', () => {
    expect(uvHostDirs('amzn2023-py3.13', platformOf('arm64'), '/c')).toEqual({ binaries: '/c/uv/bin', cache: '/c/uv/cache/amzn2023-py3.13-aarch64' });
    expect(uvHostDirs('amzn2023-py3.13', platformOf('amd64'), '/c').cache).toBe('/c/uv/cache/amzn2023-py3.13-x86_64');
  });
});
