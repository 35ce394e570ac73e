// Test support: a temp directory that is removed when the test that made it finishes (or,
// made outside a test, in beforeAll say, when the spec file's tests are done).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

const outsideTests = new Set<string>();
afterAll(() => {
  for (const dir of outsideTests) rmSync(dir, { recursive: true, force: true });
  outsideTests.clear();
});

export function tempDir(prefix = 'lava-spec-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  } catch {
    outsideTests.add(dir);
  }
  return dir;
}
