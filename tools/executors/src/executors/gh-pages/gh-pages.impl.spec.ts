import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { captureStderr, fakeContext } from '../../testing/executor-context';
import ghPages from './gh-pages.impl';
import { tempDir } from '../../testing/temp-dir';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: 'pipe' }).trim();
let base: string;
let root: string;
let bare: string;

beforeEach(() => {
  base = tempDir('gh-pages-spec-');
  root = join(base, 'ws');
  bare = join(base, 'remote.git');
  git(base, 'init', '-q', '--bare', bare);
  mkdirSync(join(root, 'packages/lava/lava'), { recursive: true });
  writeFileSync(join(root, 'packages/lava/lava/VERSION.json'), '{"__version_num__": "8.2.0", "__version_name__": "Kilauea"}');
  writeFileSync(join(root, '.gitignore'), 'dist/\n');
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'config', 'user.email', 'test@lava.invalid');
  git(root, 'config', 'user.name', 'lava test');
  git(root, 'add', '.gitignore', 'packages');
  git(root, 'commit', '-q', '-m', 'fixture');
  git(root, 'remote', 'add', 'origin', bare);
});

const context = () => fakeContext(root, 'docs', 'packages/docs', 'publish');

describe('gh-pages', () => {
  it('publishes the site with a message naming the version and the source commit', async () => {
    mkdirSync(join(root, 'dist/doc/site'), { recursive: true });
    writeFileSync(join(root, 'dist/doc/site/index.html'), '<h1>guide</h1>');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await ghPages({}, context())).toEqual({ success: true });
    } finally {
      log.mockRestore();
    }
    const head = git(root, 'rev-parse', 'HEAD').slice(0, 12);
    expect(git(bare, 'log', '-1', '--format=%s', 'gh-pages')).toBe(`lava user guide 8.2.0 (Kilauea), from ${head}`);
  });

  it('names the build target when there is no site', async () => {
    const { result, stderr } = await captureStderr(() => ghPages({}, context()));
    expect(result.success).toBe(false);
    expect(stderr).toBe('✖ docs:publish: dist/doc/site holds no built site; run: npx nx run docs:build\n');
  });

  it('refuses off the main branch before looking at the site', async () => {
    git(root, 'switch', '-q', '-c', 'topic');
    const { result, stderr } = await captureStderr(() => ghPages({}, context()));
    expect(result.success).toBe(false);
    expect(stderr).toBe('✖ docs:publish: publishing only from the main branch, and this is "topic"; run: git switch main\n');
  });
});
