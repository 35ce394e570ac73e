import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { smallGuideRoot, WORKSPACE } from '../../testing/small-guide';
import { previewGuide, READY } from './preview';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('previewGuide', () => {
  it('serves the guide, announces the URL, does not open a browser with --no-open, and ends cleanly on SIGTERM', async () => {
    root = smallGuideRoot('# Home\n');
    symlinkSync(join(WORKSPACE, '.venv'), join(root, '.venv'));
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(String(line)));
    const before = new Set(process.listeners('SIGTERM'));
    try {
      const serving = previewGuide(root, 'packages/docs', { open: false });
      await vi.waitFor(() => expect(lines.join('\n')).toContain(READY), { timeout: 60_000, interval: 100 });
      const url = new RegExp(`${READY} (http://127\\.0\\.0\\.1:\\d+/)`).exec(lines.join('\n'))?.[1] as string;
      const page = await (await fetch(`${url}02-cloudformation.html`)).text();
      expect(page).toContain('<code>BucketName</code>');
      expect(page).toContain('v9.9.9 (Test)');
      // an edit to a chapter is prepared again and served
      writeFileSync(join(root, 'packages/docs/user-guide/01-Home.md'), '# Home\n\nEdited while served.\n');
      await vi.waitFor(async () => expect(await (await fetch(`${url}01-home.html`)).text()).toContain('Edited while served.'), {
        timeout: 30_000,
        interval: 300,
      });
      // Only the executor's own handler: the test runner's must not see a signal.
      for (const listener of process.listeners('SIGTERM')) if (!before.has(listener)) listener('SIGTERM');
      await expect(serving).resolves.toBeUndefined();
      await expect(fetch(url)).rejects.toThrow();
      expect(lines.join('\n')).not.toMatch(/browser/i);
    } finally {
      log.mockRestore();
    }
  });

});
