import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { captureStderr, fakeContext } from '../../testing/executor-context';
import spellCheck from './spell-check.impl';
import { tempDir } from '../../testing/temp-dir';

let root: string;
beforeEach(() => {
  root = tempDir('spell-check-spec-');
  mkdirSync(join(root, 'packages/docs/user-guide/sub'), { recursive: true });
  writeFileSync(join(root, 'packages/docs/.aspell-dict'), 'personal_ws-1.1 en 1\nnx\n');
});

const context = () => fakeContext(root, 'docs', 'packages/docs', 'spell');

describe('spell-check', () => {
  it('lists every unknown word as file:line: word in byte order of files, and fails', async () => {
    writeFileSync(join(root, 'packages/docs/user-guide/b.md'), '# Nx\n\nA wrold.\n');
    writeFileSync(join(root, 'packages/docs/user-guide/sub/a.md'), 'Fine `wrold` here.\n\nAnd teh end.\n');
    writeFileSync(join(root, 'packages/docs/user-guide/A.md'), 'Capital zzqx.\n');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const { result, stderr } = await captureStderr(() => spellCheck({}, context()));
      expect(result.success).toBe(false);
      expect(log.mock.calls.map((c) => String(c[0])).join('\n')).toBe(
        'packages/docs/user-guide/A.md:1: zzqx\npackages/docs/user-guide/b.md:3: wrold\npackages/docs/user-guide/sub/a.md:3: teh',
      );
      expect(stderr).toBe('✖ docs:spell: 3 unknown words in 3 files; run: correct them, or add real words to packages/docs/.aspell-dict\n');
    } finally {
      log.mockRestore();
    }
  });

  it('checks the chapters only: the mkdocs folder and other Markdown are not the guide', async () => {
    mkdirSync(join(root, 'packages/docs/mkdocs/docs'), { recursive: true });
    writeFileSync(join(root, 'packages/docs/mkdocs/docs/index.md'), 'Qqzv.\n');
    writeFileSync(join(root, 'packages/docs/user-guide/ok.md'), 'Real words.\n');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await spellCheck({}, context())).toEqual({ success: true });
      expect(log.mock.calls.map((c) => String(c[0]))).toEqual(['Spelling: 1 file, no unknown words.']);
    } finally {
      log.mockRestore();
    }
  });

  it('succeeds on clean pages', async () => {
    writeFileSync(join(root, 'packages/docs/user-guide/ok.md'), '# The Nx build\n\nAll words are real.\n');
    expect(await spellCheck({}, context())).toEqual({ success: true });
  });

  it('fails when no file matches', async () => {
    const { result, stderr } = await captureStderr(() => spellCheck({ files: ['nowhere/*.md'] }, context()));
    expect(result.success).toBe(false);
    expect(stderr).toBe('✖ docs:spell: no Markdown files match nowhere/*.md\n');
  });
});
