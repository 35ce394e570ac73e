// `pip install --target` as a reusable step. Building the command is pure (the
// same argv runs on the host or after `docker run … <image>`), the index URL
// travels in the environment (never in argv, where `ps` and error lines show
// it), and the clean-up that makes pylib/ reproducible is its own function.
import { readFileSync } from 'node:fs';
import { lstat, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BuildError, isBuildError } from '../core/errors';
import { run, tail, type RunOptions } from '../core/process';
import { redact, redactUrl, secretsOfUrl } from '../core/redact';

export type Installer = 'pip' | 'uv';

export const DEFAULT_INDEX_URL = 'https://pypi.org/simple';

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
    /No solution found when resolving dependencies:?[\s\S]*?(?:Because|╰─▶|cause:)\s+(?:there is no version of\s+)?(\S+)/.exec(output)?.[1] ??
    /\/simple\/([^/\s'"]+)\//.exec(output)?.[1]
  );
}

const uncolour = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

/** A requirement file: where it is read on this machine, and how error lines name it. */
export interface RequirementFile {
  path: string;
  shownAs: string;
}

/** A source build that failed: the package, and the last lines its build printed (the compiler's, for C code). */
export interface BuildFailure {
  project: string;
  lines: string[];
}

/** The lines of pip's `╰─> [N lines of output]` block, or uv's `[stderr]` block, de-indented. */
function buildOutputLines(output: string): string[] {
  const pip = /╰─>\s*\[\d+ lines? of output\]\n([\s\S]*?)\n\s*\[end of output\]/.exec(output)?.[1];
  const uv = /\[stderr\]\n([\s\S]*?)(?:\n\s*\n|\n\s*(?:hint|help):|$)/.exec(output)?.[1];
  return (pip ?? uv ?? '')
    .split('\n')
    .map((line) => line.trim())
    // setuptools' own "error: command '…gcc' failed with exit code 1" restates the compiler's failure.
    .filter((line) => line && !/^error: command ['"[]/i.test(line));
}

/** Which package pip (or uv) could not build from source, and what its build said last. */
export function buildFailure(coloured: string, lines = 3): BuildFailure | undefined {
  const output = uncolour(coloured);
  const named =
    /Failed to build '([^']+)'/.exec(output)?.[1] ??
    /Failed building wheel for (\S+)/.exec(output)?.[1] ??
    /^Failed to build (\S+)/m.exec(output)?.[1] ??
    /Could not build wheels for (\S+?),/.exec(output)?.[1] ??
    /Failed to build `([^`\s=<>~!@]+)/.exec(output)?.[1];
  const subprocess = /subprocess-exited-with-error|did not run successfully|The build backend returned an error/.test(output);
  if (!named && !subprocess) return undefined;
  // Older pips name no package when the build's metadata step fails: the last one collected is it.
  const collected = [...output.slice(0, Math.max(0, output.indexOf('subprocess-exited-with-error'))).matchAll(/^Collecting (\S+)/gm)].pop()?.[1];
  const project = named ?? (collected ? collected.split(/[=<>~!;[ ]/)[0] : undefined);
  if (!project) return undefined;
  return { project, lines: buildOutputLines(output).slice(-lines) };
}

/** The projects pip's resolver found in conflict, from its "The conflict is caused by:" lines (or uv's account). */
export function conflictingProjects(coloured: string): { projects: string[]; cause: string[] } | undefined {
  const output = uncolour(coloured);
  const pip = /The conflict is caused by:\n([\s\S]*?)\n\s*\n/.exec(output)?.[1];
  if (pip) {
    const cause = pip.split('\n').map((l) => l.trim()).filter(Boolean);
    const projects = new Set<string>();
    for (const line of cause) {
      const requested = /^The user requested (\S+)/.exec(line);
      if (requested) projects.add(projectOf(requested[1]));
      const depends = /^(\S+) \S+ depends on (\S+)/.exec(line);
      if (depends) {
        projects.add(projectOf(depends[1]));
        projects.add(projectOf(depends[2]));
      }
    }
    return { projects: [...projects], cause };
  }
  // uv's account: under `╰─▶` (older uv) or after `cause:` (0.13 and later).
  const uv = /No solution found when resolving dependencies:?\s*\n\s*(?:╰─▶|cause:)\s*([\s\S]*?)(?:\n\s*\n|$)/.exec(output)?.[1];
  if (uv && /depends on|you require/.test(uv) && !/not found in the package registry|there is no version of/.test(uv)) {
    const cause = [uv.replace(/\s+/g, ' ').trim()];
    const projects = [...uv.matchAll(/([A-Za-z0-9][A-Za-z0-9._-]*)(?:==|>=|<=|!=|<|>)/g)].map((m) => projectOf(m[1]));
    return { projects: [...new Set(projects)], cause };
  }
  return undefined;
}

/** `file:line requirement` for each line of the files that names one of `projects`. */
export function requirementLines(files: readonly RequirementFile[], projects: readonly string[]): string[] {
  const wanted = new Set(projects);
  const found: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file.path, 'utf8');
    } catch {
      continue;
    }
    text.split('\n').forEach((raw, i) => {
      const line = raw.replace(/(^|\s)#.*$/, '').trim();
      if (line && !line.startsWith('-') && wanted.has(projectOf(line))) found.push(`${file.shownAs}:${i + 1} ${line}`);
    });
  }
  return found;
}

const INDEX_FIX = 'check PIP_INDEX_URL or the index-url of `python3 -m pip config list`, and the pins in ';

/**
 * A one-line account of why pip failed, from its output and, when given, what
 * the index itself answered; the index is redacted. A package that failed to
 * build and requirement files that conflict are named as such: only a failure
 * to get something from the index blames the index.
 */
export function explainPipFailure(
  coloured: string,
  indexUrl: string,
  requirements: string | readonly RequirementFile[],
  answer?: IndexAnswer,
  installer: Installer = 'pip',
): BuildError {
  const output = uncolour(coloured);
  const files = typeof requirements === 'string' ? [] : requirements;
  const shown = typeof requirements === 'string' ? requirements : requirements.map((f) => f.shownAs).join(' ');
  const index = redactUrl(indexUrl);

  const failed = buildFailure(output);
  if (failed) {
    const said = failed.lines.length ? `: ${failed.lines.join(' | ')}` : '';
    const fix = /pkg_resources|setuptools/.test(said)
      ? `add the setuptools it needs (e.g. setuptools<81) to ${BUILD_CONSTRAINTS_FILE}`
      : /fatal error: \S+: No such file|not found|No such file or directory/.test(said)
        ? 'add the Debian -dev package with the missing header or tool to tools/setup/apt-packages.txt, then bash tools/setup/install.sh'
        : `install what its build needs (tools/setup/apt-packages.txt) or constrain its build tools in ${BUILD_CONSTRAINTS_FILE}`;
    return new BuildError(`${installer} could not build ${failed.project} from source${said}`, { fix });
  }

  const conflict = conflictingProjects(output);
  if (conflict) {
    const lines = requirementLines(files, conflict.projects);
    const where = lines.length ? lines.join(' and ') : shown;
    return new BuildError(`the requirements conflict: ${where} (${conflict.cause.join('; ')})`, {
      fix: `change the pins so that ${files.length > 1 ? 'the files agree' : 'they agree'}`,
    });
  }

  const wanted = failedRequirement(output);
  const unreachable =
    /Connection refused|Failed to establish a new connection|Name or service not known|Temporary failure in name resolution|Max retries exceeded|timed out|Failed to fetch|error sending request|dns error|tcp connect error/i.test(
      output,
    );
  if (!wanted && !unreachable && !answer) {
    return new BuildError(`${installer} failed installing ${shown} (see its output above)`, { fix: `check the pins in ${shown}` });
  }
  // uv names the project alone: the requirement line gives the pin pip's account would show.
  const pinned = wanted && !/[=<>~!]/.test(wanted) ? requirementLines(files, [projectOf(wanted)])[0]?.replace(/^\S+ /, '') : undefined;
  const what = wanted ? `could not get ${pinned ?? wanted}` : `failed installing ${shown}`;
  const why = answer
    ? answerReason(answer)
    : unreachable
      ? 'the index is unreachable'
      : 'the index has no such package or version';
  return new BuildError(`${installer} ${what} from ${index} (${why})`, { fix: INDEX_FIX + shown });
}

/** The workspace's constraints for the isolated environments pip builds sdists in (a cache input of every source build). */
export const BUILD_CONSTRAINTS_FILE = 'tools/python/build-constraints.txt';

export interface InstallOptions extends PipInstallSpec {
  /** The effective index (from resolveIndexUrl), for error lines and redaction. */
  indexUrl: string;
  /** How the requirements files are named in error lines (the argv may name staged copies), in order. */
  requirementsShownAs?: string | readonly string[];
  /** The requirement files as this machine reads them (to name the lines in conflict), in order. */
  requirementsOnHost?: readonly string[];
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
  const argvFiles = requirementList(options.requirements);
  const shownAs = options.requirementsShownAs === undefined ? argvFiles : requirementList(options.requirementsShownAs);
  const files = argvFiles.map((path, i) => ({ path: options.requirementsOnHost?.[i] ?? path, shownAs: shownAs[i] ?? path }));
  try {
    await run(command.file, command.args, {
      label: options.installer ?? 'pip',
      missingHint: options.installer === 'uv' ? 'npx nx run python-env:init (uv comes with the Python tools)' : 'apt-get install python3-pip',
      ...options.run,
      env,
      secrets,
      fullOutput: true,
    });
  } catch (error) {
    if (!isBuildError(error) || !error.detail) throw error;
    const output = error.detail;
    const wanted = buildFailure(output) || conflictingProjects(output) ? undefined : failedRequirement(output);
    const answer = wanted && options.probe !== false ? await probeIndex(options.indexUrl, projectOf(wanted)) : undefined;
    const explained = explainPipFailure(output, options.indexUrl, files, answer, options.installer ?? 'pip');
    throw new BuildError(explained.problem, { fix: explained.fix, detail: redact(tail(output), secrets), cause: error });
  }
}

/**
 * What an installer writes about the install, not the distribution: its record and name, the URL,
 * PEP 376's REQUESTED marker (pip marks what was named, uv more) and uv's build record. Nothing
 * reads them at run time; dropped, uv's and pip's pylib/ agree.
 */
const INSTALL_RECORDS = new Set(['RECORD', 'INSTALLER', 'direct_url.json', 'REQUESTED', 'uv_build.json']);
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
  // uv's lock file for the --target directory (empty; pip has none).
  try {
    if ((await lstat(join(pylib, '.lock'))).isFile()) {
      await rm(join(pylib, '.lock'), { force: true });
      report.removed++;
    }
  } catch {
    // none
  }
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
    // A new file renamed over the old one: the old may be a hard link into uv's cache, which an
    // in-place write would change for every later install.
    const temp = `${path}.lava-tmp`;
    await writeFile(temp, `#!/usr/bin/env python3${text.slice(match[0].length)}`, { encoding: 'latin1', mode: (await lstat(path)).mode & 0o7777 });
    await rename(temp, path);
    count++;
  }
  return count;
}

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

/** `python -m pip config list` (PIP_* variables and pip's config files), secrets hidden from any error line. */
export async function pipConfigList(python: string, secrets: readonly string[] = []): Promise<string> {
  const result = await run(python, ['-m', 'pip', 'config', 'list'], { stream: false, secrets, label: 'pip config', missingHint: 'apt-get install python3 python3-pip' });
  return result.stdout;
}

/** Every credential in the URLs of a pip config list (extra indexes, find-links), for redaction. */
export function configSecrets(configList: string): string[] {
  return [...configList.matchAll(/[a-z][a-z0-9+.-]*:\/\/[^\s'"]+/gi)].flatMap((m) => secretsOfUrl(m[0]));
}
