import { existsSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureStderr, fakeContext } from '../../lib/testing/executor-context';
import { smallGuideRoot, WORKSPACE } from '../../lib/testing/small-guide';
import mkdocsBuild from './mkdocs-build.impl';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

function smallGuide(indexPage: string, venv = true): void {
  root = smallGuideRoot(indexPage);
  if (venv) symlinkSync(join(WORKSPACE, '.venv'), join(root, '.venv'));
}

const context = () => fakeContext(root, 'docs', 'packages/docs');

describe('mkdocs-build', () => {
  it('builds the site with the generated reference page and the version in the footer', async () => {
    smallGuide('# Home\n\nSee [tiny](reference/cfn/tiny.md).\n');
    expect(await mkdocsBuild({}, context())).toEqual({ success: true });
    const page = readFileSync(join(root, 'dist/doc/site/reference/cfn/tiny.html'), 'utf8');
    expect(page).toContain('<code>BucketName</code>');
    expect(page).toContain('lava 9.9.9 (Test)');
  });

  it('fails in one line with mkdocs’ message on a broken link and writes nothing', async () => {
    smallGuide('# Home\n\nSee [gone](gone.md).\n');
    const { result, stderr } = await captureStderr(() => mkdocsBuild({}, context()));
    expect(result.success).toBe(false);
    expect(stderr).toContain(
      "✖ docs:build: mkdocs (strict): Doc file 'index.md' contains a link 'gone.md', but the target is not found among documentation files; run: correct the page, then npx nx run docs:build\n",
    );
    expect(readdirSync(join(root, 'dist/doc'))).toEqual([]);
  });

  it('names cfn:build when no template is built', async () => {
    smallGuide('# Home\n');
    rmSync(join(root, 'dist/cfn'), { recursive: true });
    const { result, stderr } = await captureStderr(() => mkdocsBuild({}, context()));
    expect(result.success).toBe(false);
    expect(stderr).toBe('✖ docs:build: no built CloudFormation templates in dist/cfn; run: npx nx run cfn:build\n');
    expect(existsSync(join(root, 'dist/doc/site'))).toBe(false);
  });

  it('names python-env:init when there is no Python environment', async () => {
    smallGuide('# Home\n', false);
    const { result, stderr } = await captureStderr(() => mkdocsBuild({}, context()));
    expect(result.success).toBe(false);
    expect(stderr).toBe('✖ docs:build: no Python environment with mkdocs at .venv; run: npx nx run python-env:init\n');
  });
});
