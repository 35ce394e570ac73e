// The `pip install --target` command and what it is given. Building the command is
// pure (the same argv runs on the host or after `docker run … <image>`), and the
// index URL travels in the environment (never in argv, where `ps` and error lines
// show it). Running it is pip-install.ts, reading its failures pip-failure.ts.
import { BuildError } from '../core/errors';
import { run } from '../core/process';
import { secretsOfUrl } from '../core/redact';

export type Installer = 'pip' | 'uv';

/** The `installer` option of the bundle executors: uv unless pip is asked for. */
export function installerOption(value: string | undefined): Installer {
  const installer = value ?? 'uv';
  if (installer !== 'pip' && installer !== 'uv') throw new BuildError(`installer must be "pip" or "uv", got "${installer}"`);
  return installer;
}

const DEFAULT_INDEX_URL = 'https://pypi.org/simple';

export interface PipInstallSpec {
  /** The interpreter the packages are for, as named where the command runs (host or container). */
  python: string;
  /**
   * The requirement files, as seen where the command runs. Several are resolved together, in one
   * resolution, so a pin in one holds against the others (make installed them one after the other,
   * and the second install upgraded what the first had pinned).
   */
  requirements: string | readonly string[];
  /** The --target directory, as seen where the command runs. */
  target: string;
  /** pip (default) or uv's pip interface; uv must then be on PATH where the command runs. */
  installer?: Installer;
  /**
   * The interpreter whose pip runs the install (`pip --python <python>`), when it is not `python`
   * itself: the host build runs the workspace environment's pinned pip for the host's python3.
   */
  runner?: string;
  /**
   * A constraints file for the isolated environments pip builds sdists in (not for the
   * bundle's own resolution): `--build-constraint`, pip 25.3 and later; uv's `--build-constraints`.
   */
  buildConstraints?: string;
}

export interface Command {
  file: string;
  args: string[];
}

export function requirementList(requirements: string | readonly string[]): string[] {
  return typeof requirements === 'string' ? [requirements] : [...requirements];
}

/** The argv of one `pip install --target` of every requirement file at once, as make's pkg.sh ran it, minus bytecode. */
export function pipInstallCommand(spec: PipInstallSpec): Command {
  const requirements = requirementList(spec.requirements).flatMap((file) => ['--requirement', file]);
  if (spec.installer === 'uv') {
    return {
      file: 'uv',
      args: [
        'pip', 'install', '--python', spec.python, '--no-progress', '--target', spec.target,
        ...(spec.buildConstraints ? ['--build-constraints', spec.buildConstraints] : []),
        ...requirements,
      ],
    };
  }
  const runner = spec.runner && spec.runner !== spec.python ? spec.runner : spec.python;
  return {
    file: runner,
    args: [
      '-m', 'pip',
      ...(runner !== spec.python ? ['--python', spec.python] : []),
      'install',
      '--disable-pip-version-check', '--no-input', '--progress-bar', 'off',
      // Bytecode embeds the build path and is dropped from the bundle anyway.
      '--no-compile', '--no-warn-script-location',
      // pip checks the new packages against the interpreter's own site-packages, which the
      // bundle never meets: its "conflicts" are noise. The resolver keeps pylib/ consistent.
      '--no-warn-conflicts',
      '--ignore-installed', '--upgrade',
      '--target', spec.target,
      ...(spec.buildConstraints ? ['--build-constraint', spec.buildConstraints] : []),
      ...requirements,
    ],
  };
}

/** Quiets pip's warning about running as root (builders and CI are root); an env var, as old pips lack the flag. */
export const PIP_QUIET_ENV: Readonly<Record<string, string>> = { PIP_ROOT_USER_ACTION: 'ignore' };

/**
 * The environment that points an installer at `indexUrl`. Empty when there is
 * none: pip then honours its own configuration (pip.conf, PIP_* variables).
 * uv reads neither, so it always gets the index pip would use.
 */
export function pipIndexEnv(indexUrl: string | undefined, installer: Installer = 'pip'): Record<string, string> {
  if (!indexUrl) return {};
  return installer === 'uv' ? { UV_INDEX_URL: indexUrl, UV_DEFAULT_INDEX: indexUrl } : { PIP_INDEX_URL: indexUrl };
}

/**
 * The index pip will use, from `pip config list` output: the environment's
 * index-url, then install.index-url, then global.index-url (make's etc/pip-index-url).
 */
export function indexUrlFromPipConfig(configList: string): string | undefined {
  return pipConfigValue(configList, 'index-url');
}

/** The index a `pip config list` output says pip uses (PIP_INDEX_URL is in it), PyPI when none. */
export function indexUrlOf(configList: string): string {
  return indexUrlFromPipConfig(configList) ?? DEFAULT_INDEX_URL;
}

/** Asks `python -m pip config list` which index pip would use (PyPI when nothing is set). */
export async function resolveIndexUrl(python: string, env: Record<string, string | undefined> = {}): Promise<string> {
  // The environment outranks every pip config file, and asking pip costs a second.
  const fromEnv = env.PIP_INDEX_URL ?? process.env.PIP_INDEX_URL;
  if (fromEnv) return fromEnv;
  return indexUrlOf(await pipConfigList(python, [], env));
}

/** The workspace's constraints for the isolated environments pip builds sdists in (a cache input of every source build). */
export const BUILD_CONSTRAINTS_FILE = 'tools/python/build-constraints.txt';

/** One setting of `pip config list` output, as pip ranks them: the environment, then install., then global. */
export function pipConfigValue(configList: string, key: string): string | undefined {
  const values = new Map<string, string>();
  for (const line of configList.split('\n')) {
    const match = /^([^=\s]+)=(.*)$/.exec(line.trim());
    if (match) values.set(match[1], match[2].trim().replace(/^(['"])(.*)\1$/, '$2'));
  }
  for (const scope of [':env:', 'install', 'global']) {
    const value = values.get(`${scope}.${key}`);
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

const truthy = (value: string | undefined) => value !== undefined && /^(1|true|yes|on)$/i.test(value);

/**
 * What pip would fetch from, given its `pip config list` (which holds PIP_* variables and every
 * pip config file), as uv's environment: the index, extra indexes (searched together, best version
 * across them, as pip does), find-links, no-index, trusted hosts and the CA bundle. uv's own config
 * files are ignored, so pip's settings alone decide, as on the pip path.
 */
export function uvEnvFromPipConfig(configList: string, indexUrl: string): Record<string, string> {
  const env: Record<string, string> = {
    UV_NO_CONFIG: '1',
    // pip picks the best version over every index; uv's default stops at the first that has the project.
    UV_INDEX_STRATEGY: 'unsafe-best-match',
    // Hard links into uv's cache (a copy of pylib/'s 250 MB took 5.4 s against 1.6 s): pylib/ is
    // only read and archived, and cleanPylib deletes or replaces files, never writes into one.
    UV_LINK_MODE: 'hardlink',
    ...pipIndexEnv(indexUrl, 'uv'),
  };
  const extra = pipConfigValue(configList, 'extra-index-url');
  if (extra) env.UV_INDEX = extra.split(/\s+/).filter(Boolean).join(' ');
  const findLinks = pipConfigValue(configList, 'find-links');
  if (findLinks) env.UV_FIND_LINKS = findLinks.split(/\s+/).filter(Boolean).join(',');
  if (truthy(pipConfigValue(configList, 'no-index'))) env.UV_NO_INDEX = '1';
  const trusted = pipConfigValue(configList, 'trusted-host');
  if (trusted) env.UV_INSECURE_HOST = trusted.split(/\s+/).filter(Boolean).join(' ');
  const cert = pipConfigValue(configList, 'cert');
  if (cert) env.SSL_CERT_FILE = cert;
  return env;
}

/**
 * `python -m pip config list` (PIP_* variables and pip's config files) as pip prints it, with the
 * credentials of its URLs, which the installers need; secrets hidden from any error line.
 */
export async function pipConfigList(python: string, secrets: readonly string[] = [], env: Record<string, string | undefined> = {}): Promise<string> {
  const result = await run(python, ['-m', 'pip', 'config', 'list'], {
    env,
    stream: false,
    unredacted: true,
    secrets,
    label: 'pip config',
    missingHint: 'apt-get install python3 python3-pip',
  });
  return result.stdout;
}

/** Every credential in the URLs of a pip config list (extra indexes, find-links), for redaction. */
export function configSecrets(configList: string): string[] {
  return [...configList.matchAll(/[a-z][a-z0-9+.-]*:\/\/[^\s'"]+/gi)].flatMap((m) => secretsOfUrl(m[0]));
}
