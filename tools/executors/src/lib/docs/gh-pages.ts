// Publishing a directory as one commit on a branch of a remote (gh-pages),
// with git plumbing and a private index: the user's work tree, index and
// branches are never touched, only the remote branch moves.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BuildError } from '../core/errors';
import { run } from '../core/process';
import { withTempDir } from '../core/fs';

const MISSING = 'apt-get install git';

async function git(cwd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run('git', args, { cwd, env, stream: false, label: `git ${args[0]}`, missingHint: MISSING });
  return stdout.trim();
}

/** The current branch, or undefined on a detached HEAD. */
export async function currentBranch(cwd: string): Promise<string | undefined> {
  const branch = await git(cwd, ['branch', '--show-current']);
  return branch || undefined;
}

/** Paths with uncommitted changes, untracked files included (ignored ones are not). */
export async function uncommittedPaths(cwd: string): Promise<string[]> {
  const { stdout } = await run('git', ['status', '--porcelain', '-z', '--untracked-files=normal'], {
    cwd,
    stream: false,
    label: 'git status',
    missingHint: MISSING,
  });
  // "XY path\0", and a rename's old path as one more entry after it.
  const entries = stdout.split('\0').filter(Boolean);
  const paths: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    paths.push(entries[i].slice(3));
    if (/^[RC]/.test(entries[i])) i++;
  }
  return paths;
}

export interface PublishChecks {
  mainBranch: string;
  remote: string;
}

/** Refuses to publish from anywhere but a clean main branch with the remote configured. */
export async function checkPublishable(cwd: string, checks: PublishChecks): Promise<{ remoteUrl: string; head: string }> {
  const branch = await currentBranch(cwd);
  if (branch !== checks.mainBranch) {
    throw new BuildError(
      `publishing only from the ${checks.mainBranch} branch, and this is ${branch ? `"${branch}"` : 'a detached HEAD'}`,
      { fix: `git switch ${checks.mainBranch}` },
    );
  }
  const dirty = await uncommittedPaths(cwd);
  if (dirty.length) {
    const shown = dirty.slice(0, 5).join(', ') + (dirty.length > 5 ? `, … (${dirty.length} in all)` : '');
    throw new BuildError(`the work tree has uncommitted changes (${shown}), so the site would not match a commit`, {
      fix: 'git commit (or git stash) them first',
    });
  }
  let remoteUrl: string;
  try {
    remoteUrl = await git(cwd, ['remote', 'get-url', checks.remote]);
  } catch {
    throw new BuildError(`no git remote "${checks.remote}"`, { fix: `git remote add ${checks.remote} <url>` });
  }
  return { remoteUrl, head: await git(cwd, ['rev-parse', 'HEAD']) };
}

export interface PublishOptions {
  /** The repository whose object store and remote are used. */
  cwd: string;
  /** The directory whose files become the commit's whole tree. */
  dir: string;
  remote: string;
  branch: string;
  message: string;
}

/**
 * Commits `dir` as the whole tree of one new commit on top of the remote
 * branch (or as its first commit) and pushes it. Returns the commit id.
 */
export async function publishDirectory(options: PublishOptions): Promise<string> {
  const { cwd, remote, branch } = options;
  const ref = `refs/heads/${branch}`;
  const remoteHead = (await git(cwd, ['ls-remote', remote, ref])).split(/\s+/)[0] || undefined;
  if (remoteHead) await git(cwd, ['fetch', '--quiet', '--no-tags', remote, ref]);
  return withTempDir('lava-publish', async (scratch) => {
    const env = { GIT_INDEX_FILE: join(scratch, 'index') };
    const gitDir = await git(cwd, ['rev-parse', '--absolute-git-dir']);
    await git(options.dir, ['add', '--all', '--force', '.'], { ...env, GIT_DIR: gitDir, GIT_WORK_TREE: options.dir });
    // GitHub Pages would run Jekyll over the site and drop files starting with "_".
    const nojekyll = join(scratch, '.nojekyll');
    await writeFile(nojekyll, '');
    const blob = await git(cwd, ['hash-object', '-w', nojekyll]);
    await git(cwd, ['update-index', '--add', '--cacheinfo', `100644,${blob},.nojekyll`], env);
    const tree = await git(cwd, ['write-tree'], env);
    const parents = remoteHead ? ['-p', remoteHead] : [];
    const commit = await git(cwd, ['commit-tree', tree, ...parents, '-m', options.message]);
    await git(cwd, ['push', '--quiet', remote, `${commit}:${ref}`]);
    return commit;
  });
}
