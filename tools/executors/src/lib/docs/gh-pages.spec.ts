import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkPublishable, publishDirectory } from './gh-pages';
import { tempDir } from '../../testing/temp-dir';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: 'pipe' }).trim();

describe('publishing a directory to a branch of a remote (real git)', () => {
  let base: string;
  let repo: string;
  let bare: string;
  let site: string;

  beforeEach(() => {
    base = tempDir('lava-git-');
    repo = join(base, 'repo');
    bare = join(base, 'remote.git');
    site = join(base, 'site');
    git(base, 'init', '-q', '--bare', bare);
    mkdirSync(repo);
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'config', 'user.email', 'test@lava.invalid');
    git(repo, 'config', 'user.name', 'lava test');
    writeFileSync(join(repo, 'README.md'), 'lava\n');
    writeFileSync(join(repo, '.gitignore'), 'dist/\n');
    git(repo, 'add', 'README.md', '.gitignore');
    git(repo, 'commit', '-q', '-m', 'first');
    git(repo, 'remote', 'add', 'origin', bare);
    mkdirSync(join(site, 'assets'), { recursive: true });
    writeFileSync(join(site, 'index.html'), '<h1>lava</h1>\n');
    writeFileSync(join(site, 'assets', '_theme.css'), 'body{}\n');
  });

  it('pushes the directory as the whole tree of one commit, then one more on top', async () => {
    const first = await publishDirectory({ cwd: repo, dir: site, remote: 'origin', branch: 'gh-pages', message: 'site 8.2.0' });
    expect(git(bare, 'rev-parse', 'gh-pages')).toBe(first);
    expect(git(bare, 'ls-tree', '-r', '--name-only', 'gh-pages').split('\n')).toEqual(['.nojekyll', 'assets/_theme.css', 'index.html']);
    expect(git(bare, 'log', '-1', '--format=%s', 'gh-pages')).toBe('site 8.2.0');

    writeFileSync(join(site, 'index.html'), '<h1>lava 2</h1>\n');
    const second = await publishDirectory({ cwd: repo, dir: site, remote: 'origin', branch: 'gh-pages', message: 'site 8.2.1' });
    expect(git(bare, 'rev-list', '--count', 'gh-pages')).toBe('2');
    expect(git(bare, 'rev-parse', `${second}^`)).toBe(first);
    expect(git(bare, 'show', 'gh-pages:index.html')).toBe('<h1>lava 2</h1>');
  });

  it('leaves the work tree, the index and the local branches alone', async () => {
    await publishDirectory({ cwd: repo, dir: site, remote: 'origin', branch: 'gh-pages', message: 'site' });
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(git(repo, 'branch', '--format=%(refname:short)')).toBe('main');
  });

  it('accepts a clean main branch and names the remote', async () => {
    await expect(checkPublishable(repo, { mainBranch: 'main', remote: 'origin' })).resolves.toMatchObject({ remoteUrl: bare });
  });

  it('refuses another branch, saying which', async () => {
    git(repo, 'switch', '-q', '-c', 'feature');
    await expect(checkPublishable(repo, { mainBranch: 'main', remote: 'origin' })).rejects.toThrow(
      'publishing only from the main branch, and this is "feature"; run: git switch main',
    );
  });

  it('refuses a dirty work tree, naming the changed paths; ignored files do not count', async () => {
    mkdirSync(join(repo, 'dist'));
    writeFileSync(join(repo, 'dist', 'built.html'), 'x');
    await expect(checkPublishable(repo, { mainBranch: 'main', remote: 'origin' })).resolves.toBeDefined();
    writeFileSync(join(repo, 'README.md'), 'changed\n');
    await expect(checkPublishable(repo, { mainBranch: 'main', remote: 'origin' })).rejects.toThrow(
      /^the work tree has uncommitted changes \(README.md\).*; run: git commit/,
    );
  });

  it('refuses an unknown remote with the command that adds it', async () => {
    await expect(checkPublishable(repo, { mainBranch: 'main', remote: 'upstream' })).rejects.toThrow(
      'no git remote "upstream"; run: git remote add upstream <url>',
    );
  });
});
