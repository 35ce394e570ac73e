// lava's own checks (its make check, etc/git-hooks/pre-commit): ruff and flake8
// on Python (files ending .py and extension-less scripts whose #! names python),
// shellcheck on executable shell scripts with the hook's settings, yamllint on
// YAML, each with the tree's own configuration (.flake8, pyproject.toml's ruff
// section, .yamllint.yaml), which sits in the lava root (packages/lava).
//
// The hook found its scripts with `find -perm +u=x … | xargs file`; `+u=x` is
// BSD syntax that GNU find rejects, so on Linux it found nothing. Here the
// selection is ours: regular files only (a link is checked where its target
// is), the hook's excludes mapped to where the real folders now live, and the
// kind of an extension-less script told by its #! line (the lava tree's scripts
// all start with one; `file` reads the same line).
import { lstatSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import fg from 'fast-glob';
import { workspacePathOf } from '../workspace/adopt';
import { BuildError } from '../core/errors';
import { tail } from '../core/process';

export type CheckTool = 'ruff' | 'flake8' | 'shellcheck' | 'yamllint';
export const CHECK_TOOLS: readonly CheckTool[] = ['ruff', 'flake8', 'shellcheck', 'yamllint'];

export interface CheckSelection {
  python: string[];
  shell: string[];
  yaml: string[];
}

export interface Finding {
  tool: CheckTool;
  file: string;
  line: number;
  /** The rule's code (E501, SC2086, line-length …), empty when the tool gives none. */
  code: string;
  message: string;
  /** yamllint's warnings are shown but, as with yamllint itself, do not fail the check. */
  severity: 'error' | 'warning';
}

/** The hook's shellcheck settings: they override any .shellcheckrc (--norc), so a user's own rc cannot change the result. */
export const SHELLCHECK_ARGS = [
  '--norc',
  '--external-sources',
  '--exclude',
  'SC1091,SC2166,SC2155,SC2181',
  '--enable',
  'add-default-case,check-unassigned-uppercase',
  '--format',
  'gcc',
];

/** Where the hook's `find` did not look, as paths of the real tree (its `./doc/*`, `./test/*` …). */
const HOOK_EXCLUDES_REAL = ['venv*', '.??*', 'doc', 'untracked', 'dist', 'test'];

/** Never checked: caches and installs that are not the tree's sources. */
const ALWAYS_IGNORED = ['**/node_modules/**', '**/__pycache__/**', '**/.git/**'];

/**
 * The hook's find excludes for Python and shell scripts, as workspace globs: each
 * real top-level path mapped to its adopted place (`doc` is packages/docs now),
 * plus egg-info folders anywhere.
 */
export function hookExcludes(): string[] {
  return [...HOOK_EXCLUDES_REAL.map((real) => `${workspacePathOf(real)}/**`), '**/*egg-info*/**'];
}

const PYTHON_SHEBANG = /^#!\s*(?:\S*\/)?(?:env\s+(?:-\S+\s+)*)?python[0-9.]*(?:\s|$)/;
const SHELL_SHEBANG = /^#!\s*(?:\S*\/)?(?:env\s+(?:-\S+\s+)*)?(?:sh|bash|dash|ksh)(?:\s|$)/;

/** The kind of script a #! line names (what `file` reports as "Python script" / "shell script"). */
export function scriptKind(firstLine: string): 'python' | 'shell' | undefined {
  if (PYTHON_SHEBANG.test(firstLine)) return 'python';
  if (SHELL_SHEBANG.test(firstLine)) return 'shell';
  return undefined;
}

function firstLine(path: string): string {
  const head = readFileSync(path).subarray(0, 256).toString('latin1');
  return head.split('\n', 1)[0];
}

/**
 * The files each tool checks among `include` (workspace globs) minus `exclude`:
 * Python = `*.py` plus executable, extension-less-`.sh` scripts with a python #!;
 * shell = executable scripts with an sh/bash/dash/ksh #! (any name);
 * YAML = `*.yaml`/`*.yml` (yamllint's own `ignore` then applies).
 * Paths are workspace-relative, in byte order.
 */
export function selectCheckFiles(workspaceRoot: string, include: string[], exclude: string[] = []): CheckSelection {
  const paths = fg
    .sync(include, { cwd: workspaceRoot, dot: true, onlyFiles: true, followSymbolicLinks: false, ignore: [...ALWAYS_IGNORED, ...exclude] })
    .sort();
  const scriptsIgnored = hookExcludes();
  const inScripts = new Set(
    fg.sync(include, { cwd: workspaceRoot, dot: true, onlyFiles: true, followSymbolicLinks: false, ignore: [...ALWAYS_IGNORED, ...exclude, ...scriptsIgnored] }),
  );
  const selection: CheckSelection = { python: [], shell: [], yaml: [] };
  for (const path of paths) {
    const full = join(workspaceRoot, path);
    const stat = lstatSync(full);
    if (!stat.isFile()) continue;
    if (/\.ya?ml$/.test(path)) selection.yaml.push(path);
    if (!inScripts.has(path)) continue;
    const executable = (stat.mode & 0o100) !== 0;
    const kind = executable ? scriptKind(firstLine(full)) : undefined;
    if (path.endsWith('.py') || (kind === 'python' && !path.endsWith('.sh'))) selection.python.push(path);
    if (kind === 'shell') selection.shell.push(path);
  }
  return selection;
}

/** flake8's `exclude` from an INI config, path patterns (with a `/`) mapped to where adoption put them. */
export function flake8Excludes(config: string): string[] {
  const section = /^\[flake8\][^\n]*\n([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(config)?.[1] ?? '';
  const match = /^exclude\s*[=:]\s*((?:.*)(?:\n[ \t]+.*)*)/m.exec(section);
  if (!match) return [];
  const patterns = match[1]
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter((p) => p && !p.startsWith('#'));
  const out: string[] = [];
  for (const pattern of patterns) {
    // A bare name matches a folder of that name anywhere; the real tree's own top-level
    // folder of that name may have moved (doc → packages/docs), so both are kept.
    out.push(pattern.includes('/') ? workspacePathOf(pattern) : pattern);
    const moved = workspacePathOf(pattern);
    if (!pattern.includes('/') && !moved.endsWith(`/${pattern}`)) out.push(moved);
  }
  return out;
}

/** Python's fnmatch as a RegExp: `*` and `?` cross `/`, `[…]` is a set. */
export function fnmatchRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[' && pattern.indexOf(']', i + 2) > 0) {
      const end = pattern.indexOf(']', i + 2);
      const body = pattern.slice(i + 1, end);
      out += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = end;
    } else out += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/**
 * Whether flake8, walking the tree (as make's `flake8 .` did), would have left
 * `path` out: a bare pattern matches any folder or file name on the way, a path
 * pattern the path of any folder on the way or the file. Given files by name,
 * flake8 itself only matches the file, so the list is filtered here.
 */
export function flake8Excluded(path: string, patterns: string[]): boolean {
  const parts = path.split('/');
  return patterns.some((pattern) => {
    const re = fnmatchRegExp(pattern);
    if (!pattern.includes('/')) return parts.some((part) => re.test(part));
    return parts.some((_, i) => re.test(parts.slice(0, i + 1).join('/')));
  });
}

/** Whether a pyproject.toml holds ruff settings (a `[tool.ruff]` table or sub-table). */
export function hasRuffConfig(pyproject: string): boolean {
  return /^\[tool\.ruff[\].]/m.test(pyproject);
}

export interface ToolCommand {
  tool: CheckTool;
  file: string;
  args: string[];
}

export interface CheckConfigFiles {
  /** The lava root's pyproject.toml (ruff's settings, black's for flake8-black), if it has one. */
  pyproject?: string;
  pyprojectText?: string;
  /** The lava root's .flake8. */
  flake8?: string;
  flake8Text?: string;
  /** The lava root's .yamllint.yaml (or .yamllint / .yamllint.yml). */
  yamllint?: string;
}

/** The argv of each tool for a selection; paths workspace-relative, run from the workspace root. */
export function checkCommands(selection: CheckSelection, config: CheckConfigFiles, bin: (program: string) => string): ToolCommand[] {
  const commands: ToolCommand[] = [];
  if (selection.python.length) {
    const ruffConfig = config.pyproject && config.pyprojectText && hasRuffConfig(config.pyprojectText) ? ['--config', config.pyproject] : [];
    commands.push({
      tool: 'ruff',
      file: bin('ruff'),
      args: ['check', '--no-cache', '--force-exclude', '--output-format', 'json', ...ruffConfig, ...selection.python],
    });
    const flake8Config = config.flake8 ? ['--config', config.flake8] : [];
    const excludes = config.flake8Text ? flake8Excludes(config.flake8Text) : [];
    const flake8Files = selection.python.filter((path) => !flake8Excluded(path, excludes));
    if (flake8Files.length) commands.push({
      tool: 'flake8',
      file: bin('flake8'),
      args: [
        ...flake8Config,
        ...(excludes.length ? [`--exclude=${excludes.join(',')}`] : []),
        // flake8-black runs black, which would otherwise look for its settings beside each file.
        ...(config.pyproject ? ['--black-config', config.pyproject] : []),
        '--format=%(path)s:%(row)d:%(col)d: %(code)s %(text)s',
        ...flake8Files,
      ],
    });
  }
  if (selection.shell.length) commands.push({ tool: 'shellcheck', file: bin('shellcheck'), args: [...SHELLCHECK_ARGS, ...selection.shell] });
  if (selection.yaml.length) {
    commands.push({
      tool: 'yamllint',
      file: bin('yamllint'),
      args: [...(config.yamllint ? ['-c', config.yamllint] : []), '-f', 'parsable', ...selection.yaml],
    });
  }
  return commands;
}

/** A tool's findings from its output; `root` makes absolute paths workspace-relative. */
export function parseFindings(tool: CheckTool, stdout: string, root: string): Finding[] {
  const rel = (file: string) => (file.startsWith('/') ? relative(root, file) : file.replace(/^\.\//, ''));
  if (tool === 'ruff') {
    const items = JSON.parse(stdout || '[]') as Array<{ code: string | null; message: string; filename: string; location: { row: number } }>;
    return items.map((i) => ({ tool, file: rel(i.filename), line: i.location.row, code: i.code ?? 'syntax-error', message: i.message, severity: 'error' }));
  }
  const findings: Finding[] = [];
  for (const line of stdout.split('\n')) {
    if (tool === 'flake8') {
      const m = /^(.+?):(\d+):\d+: (\S+) (.*)$/.exec(line);
      if (m) findings.push({ tool, file: rel(m[1]), line: Number(m[2]), code: m[3], message: m[4], severity: 'error' });
    } else if (tool === 'shellcheck') {
      const m = /^(.+?):(\d+):\d+: \w+: (.*?) \[(SC\d+)\]$/.exec(line);
      if (m) findings.push({ tool, file: rel(m[1]), line: Number(m[2]), code: m[4], message: m[3], severity: 'error' });
    } else {
      const m = /^(.+?):(\d+):\d+: \[(error|warning)\] (.*?)(?: \(([\w-]+)\))?$/.exec(line);
      if (m) findings.push({ tool, file: rel(m[1]), line: Number(m[2]), code: m[5] ?? '', message: m[4], severity: m[3] as Finding['severity'] });
    }
  }
  return findings;
}

/** One line a finding: `file:line: CODE message [tool]` (warnings say so). */
export function formatFinding(f: Finding): string {
  const code = f.code ? `${f.code} ` : '';
  return `${f.file}:${f.line}: ${f.severity === 'warning' ? 'warning: ' : ''}${code}${f.message} [${f.tool}]`;
}

/** Exit codes that mean "ran and found something" rather than "could not run". */
const FINDINGS_EXIT: Record<CheckTool, number[]> = { ruff: [0, 1], flake8: [0, 1], shellcheck: [0, 1], yamllint: [0, 1, 2] };

/** Runs one tool; its findings, or a BuildError when it could not run at all. */
export async function runCheck(command: ToolCommand, root: string): Promise<Finding[]> {
  const result = await execa(command.file, command.args, { cwd: root, reject: false, stdin: 'ignore' });
  if ((result as { code?: string }).code === 'ENOENT') {
    throw new BuildError(`${command.tool} not found at ${command.file}`, { fix: 'npx nx run python-env:init' });
  }
  const stdout = String(result.stdout ?? '');
  const findings = FINDINGS_EXIT[command.tool].includes(result.exitCode ?? -1) ? parseFindings(command.tool, stdout, root) : undefined;
  // A non-zero exit with nothing to show is the tool failing, not the code.
  if (findings === undefined || (result.exitCode !== 0 && findings.length === 0)) {
    throw new BuildError(`${command.tool} could not check the files (exit code ${result.exitCode})`, {
      detail: tail(String(result.stderr ?? '') || stdout),
    });
  }
  return findings;
}

export function summarise(findings: Finding[]): string {
  const counts = CHECK_TOOLS.map((tool) => [tool, findings.filter((f) => f.tool === tool).length] as const).filter(([, n]) => n > 0);
  const files = new Set(findings.map((f) => f.file)).size;
  return `${findings.length} finding${findings.length === 1 ? '' : 's'} (${counts.map(([t, n]) => `${t} ${n}`).join(', ')}) in ${files} file${files === 1 ? '' : 's'}`;
}
