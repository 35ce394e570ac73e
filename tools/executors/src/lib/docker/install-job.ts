// The install step of a foreign bundle or a Lambda, built in one place as one ContainerJob
// (builder-container.ts): `uv pip install --target` (the default) or `pip install --target` of
// every requirement file at once, in the builder image, into the output folder. Any runner
// executes the job as it stands (builder-run.ts runs it with `docker run`).
//
// uv is not in the builder image: its binary for the container's arch is fetched once per machine
// from PyPI's uv wheel through the build's own index (uv-binary.ts) and mounted read-only. Its
// cache is a host folder per builder and arch, mounted read-write: it survives between runs and
// is shared by every container of that builder and arch, run one after the other or at once
// (uv locks its cache entries, and the locks hold across containers: they are on one host file
// system). Files are copied out of it (UV_LINK_MODE=copy): the cache and the output are two
// mounts, and a hard link cannot cross them.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { buildCacheDir } from '../core/build-cache-dir';
import type { Platform } from '../core/platform';
import { secretsOfUrl } from '../core/redact';
import { configSecrets, pipConfigList, pipInstallCommand, requirementList, uvEnvFromPipConfig, type Installer } from '../python/pip';
import { pinnedUvVersion, uvBinary } from '../python/uv-binary';
import { containerBase, OUTPUT_MOUNT, WORKSPACE_MOUNT, type Container, type ContainerJob, type JobMount } from './builder-container';
import { PIP_ENV } from './cli';

export const UV_MOUNT = '/lava/uv/uv';
export const UV_CACHE_MOUNT = '/lava/uv-cache';
const CERT_MOUNT = '/lava/pip/cert.pem';
const FIND_LINKS_MOUNT = '/lava/pip/find-links';
/** uv's settings that hold URLs, so credentials: passed by name, never on the command line. */
const UV_URL_SETTINGS = new Set(['UV_INDEX_URL', 'UV_DEFAULT_INDEX', 'UV_INDEX', 'UV_FIND_LINKS']);

export interface ContainerInstall extends Container {
  /** The builder (its Dockerfile's name): containers of one builder and arch share one uv cache. */
  builder: string;
  /** Workspace-relative requirement files, resolved together. */
  requirements: string | readonly string[];
  /** Workspace-relative constraints for the builds of sdists (never for the resolution itself). */
  buildConstraints?: string;
  /** Host directory the packages land in. */
  output: string;
  indexUrl: string;
  /** uv (default) or the builder's own pip. */
  installer?: Installer;
}

/** What uv needs from the host: its binary, its cache folder, and pip's effective settings (`pip config list`). */
export interface UvOnHost {
  binary: string;
  cache: string;
  pipConfig: string;
}

/** The host folders of uv under the build cache: binaries per version and arch, one cache per builder and arch. */
export function uvHostDirs(builder: string, platform: Platform, root = buildCacheDir()): { binaries: string; cache: string } {
  return { binaries: join(root, 'uv', 'bin'), cache: join(root, 'uv', 'cache', `${builder}-${platform.arch}`) };
}

const isUrl = (entry: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(entry);

/** The job, from its inputs alone (no file is read, nothing fetched): `uv` when uv runs it. */
export function installJob(i: ContainerInstall, uv?: UvOnHost): ContainerJob {
  const base = containerBase(i);
  const requirements = requirementList(i.requirements).map((f) => `${WORKSPACE_MOUNT}/${f}`);
  const constraints = i.buildConstraints ? `${WORKSPACE_MOUNT}/${i.buildConstraints}` : undefined;
  const output = { source: i.output, target: OUTPUT_MOUNT };
  if (!uv) {
    const pip = pipInstallCommand({ python: 'python3', requirements, target: OUTPUT_MOUNT });
    const secretEnv: Record<string, string> = { PIP_INDEX_URL: i.indexUrl };
    for (const name of PIP_ENV) if (name !== 'PIP_INDEX_URL' && process.env[name] !== undefined) secretEnv[name] = process.env[name] as string;
    return {
      ...base,
      // The builder's pip is whatever its image has: the build constraints travel as
      // PIP_BUILD_CONSTRAINT, which pip 25.3 and later read and older pips ignore (an unknown
      // option on the command line would fail them).
      env: { ...base.env, PIP_NO_CACHE_DIR: '1', PIP_ROOT_USER_ACTION: 'ignore', ...(constraints ? { PIP_BUILD_CONSTRAINT: constraints } : {}) },
      secretEnv,
      command: [pip.file, ...pip.args],
      output,
    };
  }
  const mounts: JobMount[] = [...base.mounts, { source: uv.binary, target: UV_MOUNT, readOnly: true }, { source: uv.cache, target: UV_CACHE_MOUNT, readOnly: false }];
  const env: Record<string, string> = { ...base.env };
  const secretEnv: Record<string, string> = {};
  for (const [name, value] of Object.entries(uvEnvFromPipConfig(uv.pipConfig, i.indexUrl))) {
    if (name === 'SSL_CERT_FILE') {
      mounts.push({ source: value, target: CERT_MOUNT, readOnly: true });
      env.SSL_CERT_FILE = CERT_MOUNT;
    } else if (name === 'UV_FIND_LINKS') {
      // A find-links folder of the host is mounted where the container finds it.
      secretEnv[name] = value
        .split(',')
        .map((entry, n) => {
          if (isUrl(entry)) return entry;
          mounts.push({ source: entry, target: `${FIND_LINKS_MOUNT}/${n}`, readOnly: true });
          return `${FIND_LINKS_MOUNT}/${n}`;
        })
        .join(',');
    } else if (UV_URL_SETTINGS.has(name)) {
      secretEnv[name] = value;
    } else {
      env[name] = value;
    }
  }
  const command = pipInstallCommand({ installer: 'uv', python: 'python3', requirements, target: OUTPUT_MOUNT, buildConstraints: constraints });
  return {
    ...base,
    mounts,
    env: { ...env, UV_CACHE_DIR: UV_CACHE_MOUNT, UV_LINK_MODE: 'copy', UV_PYTHON_DOWNLOADS: 'never' },
    secretEnv,
    command: [UV_MOUNT, ...command.args],
    output,
  };
}

/**
 * The job with what it needs on the host made ready: for uv, its binary (fetched on first use)
 * and its cache folder; and the secrets any line about it must hide.
 */
export async function prepareInstall(i: ContainerInstall): Promise<{ job: ContainerJob; secrets: string[] }> {
  const secrets = secretsOfUrl(i.indexUrl);
  if ((i.installer ?? 'uv') === 'pip') return { job: installJob(i), secrets };
  const dirs = uvHostDirs(i.builder, i.platform);
  const pipConfig = await pipConfigList('python3', secrets);
  const [binary] = await Promise.all([
    uvBinary({ version: pinnedUvVersion(i.workspace), platform: i.platform, indexUrl: i.indexUrl, dir: dirs.binaries }),
    mkdir(dirs.cache, { recursive: true }),
  ]);
  return { job: installJob(i, { binary, cache: dirs.cache, pipConfig }), secrets: [...secrets, ...configSecrets(pipConfig)] };
}
