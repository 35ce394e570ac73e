// `pip install --target` as a reusable step. Building the command is pure (the
// same argv runs on the host or after `docker run … <image>`), the index URL
// travels in the environment (never in argv, where `ps` and error lines show
// it), and the clean-up that makes pylib/ reproducible is its own function.
import { lstat, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BuildError, isBuildError } from './errors';
import { run, type RunOptions } from './process';
import { redact, redactUrl, secretsOfUrl } from './redact';

export type Installer = 'pip' | 'uv';

export const DEFAULT_INDEX_URL = 'https://pypi.org/simple';

export interface PipInstallSpec {
  /** The interpreter the packages are for, as named where the command runs (host or container). */
  python: string;
  /** A requirements file, as seen where the command runs. */
  requirements: string;
  /** The --target directory, as seen where the command runs. */
  target: string;
  /** pip (default) or uv's pip interface; uv must then be on PATH where the command runs. */
  installer?: Installer;
}

export interface Command {
  file: string;
  args: string[];
}

/** The argv of one `pip install --target`, as make's pkg.sh ran it, minus bytecode. */
export function pipInstallCommand(spec: PipInstallSpec): Command {
  if (spec.installer === 'uv') {
    return {
      file: 'uv',
      args: ['pip', 'install', '--python', spec.python, '--no-progress', '--target', spec.target, '--requirement', spec.requirements],
    };
  }
  return {
    file: spec.python,
    args: [
      '-m', 'pip', 'install',
      '--disable-pip-version-check', '--no-input', '--progress-bar', 'off',
      // Bytecode embeds the build path and is dropped from the bundle anyway.
      '--no-compile', '--no-warn-script-location',
      '--ignore-installed', '--upgrade',
      '--target', spec.target,
      '--requirement', spec.requirements,
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
  const values = new Map<string, string>();
  for (const line of configList.split('\n')) {
    const match = /^([^=\s]+)=(.*)$/.exec(line.trim());
    if (match) values.set(match[1], match[2].trim().replace(/^(['"])(.*)\1$/, '$2'));
  }
  for (const key of [':env:.index-url', 'install.index-url', 'global.index-url']) {
    const value = values.get(key);
    if (value) return value;
  }
  return undefined;
}

/** Asks `python -m pip config list` which index pip would use (PyPI when nothing is set). */
export async function resolveIndexUrl(python: string, env: Record<string, string | undefined> = {}): Promise<string> {
  // The environment outranks every pip config file, and asking pip costs a second.
  const fromEnv = env.PIP_INDEX_URL ?? process.env.PIP_INDEX_URL;
  if (fromEnv) return fromEnv;
  const secrets = secretsOfUrl(fromEnv);
  const result = await run(python, ['-m', 'pip', 'config', 'list'], {
    env,
    secrets,
    stream: false,
    label: 'pip config',
    missingHint: 'apt-get install python3 python3-pip',
  });
  return indexUrlFromPipConfig(result.stdout) ?? DEFAULT_INDEX_URL;
}

/** What the index said when asked for one project's page (pip hides 401s and 404s alike). */
export type IndexAnswer = { kind: 'unreachable' } | { kind: 'status'; status: number };

/** The project part of a requirement: `PyYAML[x]==6.0` → `pyyaml` (PEP 503 normalised). */
export function projectOf(requirement: string): string {
  const name = /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(requirement.trim())?.[0] ?? requirement;
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Asks the index for the project's page itself, credentials sent as pip would send them. */
export async function probeIndex(indexUrl: string, project: string, timeoutMs = 5000): Promise<IndexAnswer> {
  try {
    const url = new URL(`${indexUrl.replace(/\/+$/, '')}/${project}/`);
    const headers: Record<string, string> = {};
    if (url.username || url.password) {
      const user = decodeURIComponent(url.username);
      const password = decodeURIComponent(url.password);
      headers.Authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    const response = await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return { kind: 'status', status: response.status };
  } catch {
    return { kind: 'unreachable' };
  }
}

function answerReason(answer: IndexAnswer): string {
  if (answer.kind === 'unreachable') return 'the index is unreachable';
  if (answer.status === 401 || answer.status === 403) return `the index refused the credentials: HTTP ${answer.status}`;
  if (answer.status === 404) return 'the index has no such package';
  if (answer.status < 300) return 'the index has no matching version or file for this Python and platform';
  return `the index answered HTTP ${answer.status}`;
}

/** The requirement pip could not get, from its (or uv's) output. */
export function failedRequirement(coloured: string): string | undefined {
  // pip colours its errors even into a pipe when FORCE_COLOR is set (nx sets it).
  const output = coloured.replace(/\x1b\[[0-9;]*m/g, '');
  return (
    /No matching distribution found for (\S+)/.exec(output)?.[1] ??
    /Because (\S+?) was not found in the package registry/.exec(output)?.[1] ??
    /No solution found when resolving dependencies:[\s\S]*?(?:Because|╰─▶)\s+(?:there is no version of\s+)?(\S+)/.exec(output)?.[1] ??
    /\/simple\/([^/\s'"]+)\//.exec(output)?.[1]
  );
}

/**
 * A one-line account of why pip failed, from its output and, when given, what
 * the index itself answered; the index is redacted.
 */
export function explainPipFailure(coloured: string, indexUrl: string, requirements: string, answer?: IndexAnswer): BuildError {
  const output = coloured.replace(/\x1b\[[0-9;]*m/g, '');
  const index = redactUrl(indexUrl);
  const wanted = failedRequirement(output);
  const unreachable =
    /Connection refused|Failed to establish a new connection|Name or service not known|Temporary failure in name resolution|Max retries exceeded|timed out|Failed to fetch|error sending request|dns error|tcp connect error/i.test(
      output,
    );
  const what = wanted ? `could not get ${wanted}` : `failed installing ${requirements}`;
  const why = answer
    ? answerReason(answer)
    : unreachable
      ? 'the index is unreachable'
      : wanted
        ? 'the index has no such package or version'
        : 'see its output above';
  return new BuildError(`pip ${what} from ${index} (${why})`, {
    fix: 'check PIP_INDEX_URL or the index-url of `python3 -m pip config list`, and the pins in ' + requirements,
  });
}

export interface InstallOptions extends PipInstallSpec {
  /** The effective index (from resolveIndexUrl), for error lines and redaction. */
  indexUrl: string;
  /** How the requirements file is named in error lines (the argv may name a staged copy). */
  requirementsShownAs?: string;
  /** Pass the index in the environment (needed for uv and containers; pip on the host reads its own config). */
  passIndex?: boolean;
  /** On failure, ask the index directly why (default true; turn off where the host cannot reach what the command reached). */
  probe?: boolean;
  /** Wraps the command, e.g. to prefix `docker run …`; the default runs it as is. */
  wrap?: (command: Command) => Command;
  run?: RunOptions;
}

/** Runs one install; a failure becomes the one line of explainPipFailure, secrets redacted. */
export async function installRequirements(options: InstallOptions): Promise<void> {
  const command = (options.wrap ?? ((c) => c))(pipInstallCommand(options));
  const secrets = [...(options.run?.secrets ?? []), ...secretsOfUrl(options.indexUrl)];
  const env = { ...PIP_QUIET_ENV, ...(options.run?.env ?? {}), ...(options.passIndex ? pipIndexEnv(options.indexUrl, options.installer) : {}) };
  try {
    await run(command.file, command.args, {
      label: options.installer ?? 'pip',
      missingHint: options.installer === 'uv' ? 'npx nx run python-env:init (uv comes with the Python tools)' : 'apt-get install python3-pip',
      ...options.run,
      env,
      secrets,
    });
  } catch (error) {
    if (!isBuildError(error) || !error.detail) throw error;
    const wanted = failedRequirement(error.detail);
    const answer = wanted && options.probe !== false ? await probeIndex(options.indexUrl, projectOf(wanted)) : undefined;
    const explained = explainPipFailure(error.detail, options.indexUrl, options.requirementsShownAs ?? options.requirements, answer);
    throw new BuildError(explained.problem, { fix: explained.fix, detail: redact(error.detail, secrets), cause: error });
  }
}

const INSTALL_RECORDS = new Set(['RECORD', 'INSTALLER', 'direct_url.json']);
const ABSOLUTE_PYTHON_SHEBANG = /^#!\s*\/\S*python[\d.]*(?=\s|$)/;

export interface CleanReport {
  removed: number;
  shebangs: number;
}

/**
 * Makes a `pip install --target` tree reproducible: removes what differs
 * between installs of the same wheels (installer records, bytecode) and
 * rewrites script shebangs that name the build's interpreter.
 */
export async function cleanPylib(pylib: string): Promise<CleanReport> {
  const report: CleanReport = { removed: 0, shebangs: 0 };
  const walk = async (dir: string, inDistInfo: boolean): Promise<void> => {
    for (const name of await readdir(dir)) {
      const path = join(dir, name);
      const info = await lstat(path);
      if (info.isDirectory()) {
        if (name === '__pycache__') {
          await rm(path, { recursive: true, force: true });
          report.removed++;
        } else {
          await walk(path, name.endsWith('.dist-info'));
        }
      } else if (info.isFile() && (name.endsWith('.pyc') || (inDistInfo && INSTALL_RECORDS.has(name)))) {
        await rm(path, { force: true });
        report.removed++;
      }
    }
  };
  await walk(pylib, false);
  report.shebangs = await portableShebangs(join(pylib, 'bin'));
  return report;
}

async function portableShebangs(bin: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(bin);
  } catch {
    return 0;
  }
  let count = 0;
  for (const name of names) {
    const path = join(bin, name);
    if (!(await lstat(path)).isFile()) continue;
    const text = await readFile(path, 'latin1');
    const match = ABSOLUTE_PYTHON_SHEBANG.exec(text);
    if (!match) continue;
    await writeFile(path, `#!/usr/bin/env python3${text.slice(match[0].length)}`, 'latin1');
    count++;
  }
  return count;
}
