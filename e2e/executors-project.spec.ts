// tools/executors is an Nx project whose cached `test` target runs its unit specs, so
// `nx affected -t test` runs them when the library changes, and a second run is a cache hit.
// The copy keeps one small spec of the project, so the real target runs in seconds.
import { execFileSync } from 'node:child_process';
import { appendFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheStatus, copyWorkspace, type TempWorkspace } from './support/workspace';

const KEPT_SPEC = 'tools/executors/src/lib/core/redact.spec.ts';

let ws: TempWorkspace;
const git = (...args: string[]) => execFileSync('git', args, { cwd: ws.root, stdio: 'pipe' }).toString();

beforeAll(() => {
  ws = copyWorkspace({ git: true, prefix: 'lava-executors-project' });
  const specs = git('ls-files', '-z', 'tools/executors/*.spec.ts').split('\0').filter((f) => f && f !== KEPT_SPEC);
  expect(specs.length).toBeGreaterThan(10);
  for (const spec of specs) rmSync(ws.path(spec));
  git('add', '-A');
  git('commit', '-q', '-m', 'one spec of tools/executors');
});
afterAll(() => ws?.remove());

/** The test tasks nx affected selects for a commit of `edit`; the commit is dropped afterwards. */
function affectedTests(edit: () => void): string[] {
  edit();
  git('add', '-A');
  git('commit', '-q', '-m', 'change under test');
  try {
    const run = ws.nx(['affected', '-t', 'test', '--base=HEAD~1', '--head=HEAD', '--explain=stdout']);
    expect(run.exitCode, run.output).toBe(0);
    return Object.keys((JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as { affected: Record<string, unknown> }).affected).sort();
  } finally {
    git('reset', '-q', '--hard', 'HEAD~1');
  }
}

describe('nx affected -t test', () => {
  it('a library file of tools/executors selects executors:test', () => {
    expect(affectedTests(() => appendFileSync(ws.path('tools/executors/src/lib/core/redact.ts'), '\n// touched\n'))).toContain('executors:test');
  });

  it('a spec of tools/executors selects executors:test', () => {
    expect(affectedTests(() => appendFileSync(ws.path(KEPT_SPEC), '\n// touched\n'))).toContain('executors:test');
  });

  it('the README of tools/executors selects no test', () => {
    expect(affectedTests(() => appendFileSync(ws.path('tools/executors/README.md'), '\nMore words.\n'))).toEqual([]);
  });
});

describe('nx run executors:test', () => {
  it('runs the specs, is a cache hit the second time, and runs again when a spec changes', () => {
    const first = ws.nx(['run', 'executors:test']);
    expect(first.exitCode, first.output).toBe(0);
    expect(cacheStatus(first.output, 'executors:test')).toBe('miss');
    expect(first.output).toContain('redact.spec.ts');

    const second = ws.nx(['run', 'executors:test']);
    expect(second.exitCode, second.output).toBe(0);
    expect(cacheStatus(second.output, 'executors:test')).toBe('local');

    appendFileSync(ws.path(KEPT_SPEC), '\n// touched\n');
    const third = ws.nx(['run', 'executors:test']);
    expect(third.exitCode, third.output).toBe(0);
    expect(cacheStatus(third.output, 'executors:test')).toBe('miss');
  });
});
