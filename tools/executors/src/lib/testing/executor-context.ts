// A minimal ExecutorContext and a capture of what an executor prints, for executor specs.
import type { ExecutorContext } from '@nx/devkit';
import { vi } from 'vitest';

export function fakeContext(root: string, projectName: string, targetName: string): ExecutorContext {
  return { root, projectName, targetName, cwd: root, isVerbose: false } as unknown as ExecutorContext;
}

/** Silences console.log and stderr; returns what was written to each. */
export function captureOutput(): { stdout: () => string; stderr: () => string } {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return {
    stdout: () => log.mock.calls.map((c) => `${c.join(' ')}\n`).join(''),
    stderr: () => err.mock.calls.map((c) => String(c[0])).join(''),
  };
}
