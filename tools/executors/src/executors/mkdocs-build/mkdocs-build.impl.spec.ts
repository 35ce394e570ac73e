import { existsSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureStderr, fakeContext } from '../../testing/executor-context';
import { smallGuideRoot, WORKSPACE } from '../../testing/small-guide';
import mkdocsBuild from './mkdocs-build.impl';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

function smallGuide(firstChapter: string, venv = true): void {
  root = smallGuideRoot(firstChapter);
  if (venv) symlinkSync(join(WORKSPACE, '.venv'), join(root, '.venv'));
}

const context = () => fakeContext(root, 'docs', 'packages/docs');

async function quietly<T>(body: () => Promise<T>): Promise<{ result: T; stdout: string; stderr: string }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(String(line)));
  const warn = vi.spyOn(console, 'warn').mockImplementation((line: string) => void lines.push(String(line)));
  try {
    const { result, stderr } = await captureStderr(body);
    return { result, stdout: lines.join('\n'), stderr };
  } finally {
    log.mockRestore();
    warn.mockRestore();
  }
}

describe('mkdocs-build', () => {
  it('merges, splits and builds: one page per H1, the template section from the source, the version in index and footer', async () => {
    smallGuide('# Home\n\nSee [the bucket](#parameters).\n');
    const { result, stdout } = await quietly(() => mkdocsBuild({}, context()));
    expect(result).toEqual({ success: true });
    expect(readdirSync(join(root, 'dist/doc')).sort()).toEqual(['img', 'lava-user-guide.md', 'lava-user-guide.site', 'site']);
    expect(readFileSync(join(root, 'dist/doc/lava-user-guide.site/docs/01-home.md'), 'utf8')).toContain('[the bucket](02-cloudformation.md#parameters)');
    const cfn = readFileSync(join(root, 'dist/doc/site/02-cloudformation.html'), 'utf8');
    expect(cfn).toContain('tiny.cfn.json');
    expect(cfn).toContain('<code>BucketName</code>');
    expect(cfn).toContain('<code>WRONG TEMPLATE</code>');
    expect(cfn).toContain('v9.9.9 (Test)');
    expect(readFileSync(join(root, 'dist/doc/site/index.html'), 'utf8')).toContain('Version 9.9.9 (Test).');
    expect(stdout).toContain('User guide 9.9.9 (Test): 2 pages; samples page as committed (no dev-tools generator); 0 mkdocs warnings');
  });

  it('counts a warning and succeeds; --strict fails on it in one line and writes nothing', async () => {
    smallGuide('# Home\n\nSee [gone](gone.md).\n');
    const relaxed = await quietly(() => mkdocsBuild({}, context()));
    expect(relaxed.result).toEqual({ success: true });
    expect(relaxed.stdout).toContain('1 mkdocs warning, 0 mkdocs errors');
    rmSync(join(root, 'dist'), { recursive: true });
    const strict = await quietly(() => mkdocsBuild({ strict: true }, context()));
    expect(strict.result.success).toBe(false);
    expect(strict.stderr).toContain(
      "✖ docs:build: mkdocs (strict): Doc file '01-home.md' contains a link 'gone.md', but the target is not found among documentation files; run: correct the page, then npx nx run docs:build\n",
    );
    expect(readdirSync(join(root, 'dist'))).toEqual([]);
  });

  it('fails naming the missing **md-split** nav entry', async () => {
    smallGuide('# Home\n');
    const config = join(root, 'packages/docs/mkdocs/mkdocs.yml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(config, readFileSync(config, 'utf8').replace('  - "**md-split**"', '  - index.md'));
    const { result, stderr } = await quietly(() => mkdocsBuild({}, context()));
    expect(result.success).toBe(false);
    expect(stderr).toContain('has no "**md-split**" entry in its nav list, so the split pages cannot be listed; run: add  - "**md-split**"  under nav:');
    expect(existsSync(join(root, 'dist/doc'))).toBe(false);
  });

  it('names python-env:init when there is no Python environment', async () => {
    smallGuide('# Home\n', false);
    const { result, stderr } = await quietly(() => mkdocsBuild({}, context()));
    expect(result.success).toBe(false);
    expect(stderr).toBe('✖ docs:build: no Python environment with mkdocs at .venv; run: npx nx run python-env:init\n');
  });
});
