// Why pip (or uv) failed, in one line: a package that did not build, requirement files
// that conflict, or an index that lacks, refuses or does not answer; read from the
// installer's output and, when it helps, from what the index itself answers.
import { readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { BuildError } from '../core/errors';
import { redactUrl } from '../core/redact';
import { BUILD_CONSTRAINTS_FILE, type Installer } from './pip';

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
  const output = stripVTControlCharacters(coloured);
  return (
    /No matching distribution found for (\S+)/.exec(output)?.[1] ??
    /Because (\S+?) was not found in the package registry/.exec(output)?.[1] ??
    /No solution found when resolving dependencies:?[\s\S]*?(?:Because|╰─▶|cause:)\s+(?:there is no version of\s+)?(\S+)/.exec(output)?.[1] ??
    /\/simple\/([^/\s'"]+)\//.exec(output)?.[1]
  );
}

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
  const output = stripVTControlCharacters(coloured);
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
  const output = stripVTControlCharacters(coloured);
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
function requirementLines(files: readonly RequirementFile[], projects: readonly string[]): string[] {
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
  const output = stripVTControlCharacters(coloured);
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

