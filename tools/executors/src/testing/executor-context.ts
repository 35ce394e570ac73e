// Test support: a minimal ExecutorContext for calling an executor directly.
import type { ExecutorContext } from '@nx/devkit';
import { vi } from 'vitest';

export function fakeContext(root: string, projectName: string, projectRoot: string, targetName = 'build'): ExecutorContext {
  return {
    root,
    cwd: root,
    isVerbose: false,
    projectName,
    targetName,
    projectsConfigurations: { version: 2, projects: { [projectName]: { root: projectRoot, name: projectName } } },
    nxJsonConfiguration: {},
    projectGraph: { nodes: {}, dependencies: {} },
  } as unknown as ExecutorContext;
}

/** Captures what an executor writes to stderr while `body` runs. */
export async function captureStderr<T>(body: () => Promise<T>): Promise<{ result: T; stderr: string }> {
  const chunks: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => (chunks.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    const result = await body();
    return { result, stderr: chunks.join('') };
  } finally {
    process.stderr.write = original;
  }
}

/** Silences console.log and stderr (vitest spies, restored by vi.restoreAllMocks); returns what each got. */
export function captureOutput(): { stdout: () => string; stderr: () => string } {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return {
    stdout: () => log.mock.calls.map((c) => `${c.join(' ')}\n`).join(''),
    stderr: () => err.mock.calls.map((c) => String(c[0])).join(''),
  };
}
