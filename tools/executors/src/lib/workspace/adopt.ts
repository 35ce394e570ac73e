// Adopting a real lava checkout: where each of its files goes in this workspace,
// which of them are symbolic links (and where those must now point), and how its
// .gitignore reads once its folders have moved.
//
// The workspace keeps the real tree's shape, one `packages/` folder per real
// top-level folder, so adoption replaces files and never structure. Every path of
// the real tree maps through `workspacePathOf`; links are re-pointed so that they
// resolve to the same file as before the move.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { isAbsolute, join, posix } from 'node:path';
import { BuildError } from '../core/errors';

/** Real top-level folders that become their own workspace folder; everything else is `packages/lava`. */
export const FOLDER_MAP: ReadonlyArray<readonly [real: string, workspace: string]> = [
  ['etc/builders', 'etc/builders'],
  ['external-packages', 'external-packages'],
  ['cfn', 'packages/cfn'],
  ['lambda', 'packages/lambda'],
  ['doc', 'packages/docs'],
  ['dev-tools', 'packages/dev-tools'],
  ['docker', 'packages/docker'],
  ['ami', 'packages/ami'],
];
export const LAVA_ROOT = 'packages/lava';

/** The workspace folders the stand-ins occupy; adoption clears them (external-packages holds downloads: never cleared). */
export const STAND_IN_ROOTS = [LAVA_ROOT, ...FOLDER_MAP.map(([, ws]) => ws).filter((ws) => ws !== 'external-packages')];

/** Present only while the workspace holds our stand-ins; adoption removes it. */
export const STAND_IN_MARKER = 'packages/README.md';

/** Our own build configuration inside the stand-in folders, kept by adoption (the real tree has none). */
export const KEPT_BUILD_FILES = new Set(['project.json']);

/** The real tree's marker: a lava checkout has its version here. */
export const LAVA_VERSION_FILE = 'lava/VERSION.json';

export function workspacePathOf(realPath: string): string {
  const path = posix.normalize(realPath);
  for (const [real, ws] of FOLDER_MAP) {
    if (path === real || path.startsWith(`${real}/`)) return ws + path.slice(real.length);
  }
  return `${LAVA_ROOT}/${path}`;
}

export interface TreeEntry {
  /** Path in the real tree, `/`-separated, relative to its root. */
  path: string;
  kind: 'file' | 'link';
  executable: boolean;
  /** For links: the target as written in the link. */
  target?: string;
}

/**
 * The files of a lava checkout: git's tracked files when it is a git work tree,
 * else every file (an export such as `git archive` holds only tracked files).
 * Links come from the file system, from git's index (mode 120000, also when git
 * checked them out as plain files) or, in an export unpacked where links were
 * not kept, from link stubs (see `isLinkStub`).
 */
export function readLavaTree(source: string): TreeEntry[] {
  if (!existsSync(join(source, LAVA_VERSION_FILE))) {
    throw new BuildError(`${source} is not a lava checkout (no ${LAVA_VERSION_FILE})`, {
      fix: 'npx nx g ./tools/executors:adopt-lava --source=<your lava clone>',
    });
  }
  const tracked = gitIndex(source);
  const paths = tracked ? [...tracked.keys()] : walk(source);
  return paths.sort().map((path) => {
    const full = join(source, path);
    const stat = lstatSync(full);
    if (stat.isSymbolicLink()) return { path, kind: 'link', executable: false, target: readlinkSync(full) };
    if (tracked?.get(path) === '120000') return { path, kind: 'link', executable: false, target: readFileSync(full, 'utf8') };
    const executable = (stat.mode & 0o111) !== 0;
    if (!tracked && isLinkStub(source, path)) return { path, kind: 'link', executable: false, target: readFileSync(full, 'utf8') };
    return { path, kind: 'file', executable };
  });
}

function gitIndex(source: string): Map<string, string> | undefined {
  let out: string;
  try {
    if (!existsSync(join(source, '.git'))) return undefined;
    out = execFileSync('git', ['-C', source, 'ls-files', '-s', '-z'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
  const modes = new Map<string, string>();
  for (const record of out.split('\0')) {
    const match = /^(\d+) [0-9a-f]+ \d+\t(.+)$/.exec(record);
    if (match && existsSync(join(source, match[2]))) modes.set(match[2], match[1]);
  }
  return modes;
}

function walk(root: string, dir = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.name === '.git' && !dir) continue;
    if (entry.isDirectory()) out.push(...walk(root, path));
    else out.push(path);
  }
  return out;
}

/**
 * A link stub is how git writes a symbolic link where it cannot make one: a small
 * file whose whole content, with no newline, is the link's target. Text files end
 * with a newline, so the test is strict: at most 1 KiB, no newline, path
 * characters only, and either absolute or relative with its parent folder present
 * in the tree (a link into `external-packages/oracle/` points at a download that
 * is not there yet).
 */
export function isLinkStub(root: string, path: string): boolean {
  const full = join(root, path);
  const stat = statSync(full);
  if (stat.size === 0 || stat.size > 1024 || (stat.mode & 0o111) !== 0) return false;
  const text = readFileSync(full, 'utf8');
  if (!/^[\w.\-/{}+@~]+$/.test(text)) return false;
  if (isAbsolute(text)) return text.length > 1;
  const resolved = posix.normalize(posix.join(posix.dirname(path), text));
  if (resolved.startsWith('../')) return false;
  return existsSync(join(root, posix.dirname(resolved)));
}

/**
 * The target a link must have at its workspace path to reach the same file as in
 * the real tree. Absolute targets and targets outside the tree are kept as written.
 */
export function repointLink(realPath: string, target: string): string {
  if (isAbsolute(target)) return target;
  const resolved = posix.normalize(posix.join(posix.dirname(realPath), target));
  if (resolved === '..' || resolved.startsWith('../')) return target;
  const from = posix.dirname(workspacePathOf(realPath));
  return posix.relative(from, workspacePathOf(resolved)) || '.';
}

const GITIGNORE_BEGIN = '# ---- lava (adopted: the real tree .gitignore, paths moved to the workspace) ----';
const GITIGNORE_END = '# ---- end lava ----';

/**
 * The real tree's .gitignore as it reads from the workspace root: a pattern with a
 * slash before its end is anchored to a real folder and moves with it; a pattern
 * without one matches at any depth and is kept as it is.
 */
export function translateGitignore(text: string): string {
  const lines = text.split('\n').map((line) => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return line;
    const negated = trimmed.startsWith('!');
    const pattern = negated ? trimmed.slice(1) : trimmed;
    const body = pattern.endsWith('/') ? pattern.slice(0, -1) : pattern;
    if (!body.includes('/')) return line;
    const anchored = body.replace(/^\//, '');
    const first = anchored.split('/')[0];
    // A pattern whose first segment is a wildcard cannot be moved folder by folder: keep it under packages/lava.
    const moved = /[*?[]/.test(first) ? `${LAVA_ROOT}/${anchored}` : workspacePathOf(anchored);
    return `${negated ? '!' : ''}/${moved}${pattern.endsWith('/') ? '/' : ''}`;
  });
  return lines.join('\n').replace(/\n*$/, '\n');
}

/** `rootGitignore` with the adopted section added, or replaced when it is already there. */
export function withAdoptedGitignore(rootGitignore: string, realGitignore: string): string {
  const section = `${GITIGNORE_BEGIN}\n${translateGitignore(realGitignore)}${GITIGNORE_END}\n`;
  const begin = rootGitignore.indexOf(GITIGNORE_BEGIN);
  const end = rootGitignore.indexOf(GITIGNORE_END);
  if (begin >= 0 && end > begin) {
    return rootGitignore.slice(0, begin) + section + rootGitignore.slice(end + GITIGNORE_END.length).replace(/^\n/, '');
  }
  return `${rootGitignore.replace(/\n*$/, '\n')}\n${section}`;
}
