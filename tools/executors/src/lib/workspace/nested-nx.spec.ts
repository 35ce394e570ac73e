import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { dropNxSummary, nestedNxEnv, opensNxSummary, stdoutIsTerminal } from './nested-nx';

// What a nested `nx run worker-bundle:pkg--amzn2023-py3.13-arm64` printed when its builder failed.
const NESTED = [
  '\x1b[7m\x1b[1m\x1b[36m NX \x1b[39m\x1b[22m\x1b[27m  \x1b[36mRunning target \x1b[1mpkg--amzn2023-py3.13-arm64\x1b[22m for project worker-bundle and \x1b[1m2\x1b[22m tasks it depends on:\x1b[39m',
  '> nx run builder-amzn2023-py3.13:build',
  '✖ builder-amzn2023-py3.13:build: no docker engine answers; run: eval "$(tools/docker-engine/engine.sh up)"',
  '\x1b[7m\x1b[1m\x1b[31m NX \x1b[39m\x1b[22m\x1b[27m  \x1b[31mRunning target \x1b[1mpkg--amzn2023-py3.13-arm64\x1b[22m for project worker-bundle and \x1b[1m2\x1b[22m tasks it depends on failed\x1b[39m',
  'Failed tasks:',
  '- builder-amzn2023-py3.13:build',
  '  Run duration:      1.5s',
];

describe('dropNxSummary', () => {
  it('keeps the heading and the tasks\' output, drops the closing summary', async () => {
    const result = await execa('printf', ['%s\\n', ...NESTED], { stdout: dropNxSummary() });
    expect(result.stdout.split('\n')).toEqual(NESTED.slice(0, 3));
  });
  it('drops the run statistics nx prints on stderr', async () => {
    const result = await execa('printf', ['%s\\n', 'pip: done', '  Run duration:      1.5s', '  Cache:             Skipped (--skip-nx-cache)'], { stdout: dropNxSummary() });
    expect(result.stdout).toBe('pip: done');
  });
  it('knows the success and failure summaries from the heading', () => {
    expect(opensNxSummary(NESTED[0])).toBe(false);
    expect(opensNxSummary(NESTED[3])).toBe(true);
    expect(opensNxSummary(' NX   Successfully ran target pkg--host for project worker-bundle (3s)')).toBe(true);
    expect(opensNxSummary('NX   Ran target pkg for project worker-bundle (6s)')).toBe(true);
    expect(opensNxSummary('- NX was here')).toBe(false);
  });
});

describe('nestedNxEnv', () => {
  it('turns colour off when the outer process does not write to a terminal', async () => {
    // This test's parent is vitest, whose stdout here is a pipe or a file.
    const child = await execa(process.execPath, ['-e', 'console.log(process.ppid)'], { stdout: 'pipe' });
    const parentOfChild = Number(child.stdout);
    expect(stdoutIsTerminal(parentOfChild)).toBe(Boolean(process.stdout.isTTY));
    if (!process.stdout.isTTY) expect(nestedNxEnv(process.pid)).toEqual({ NX_TUI: 'false', FORCE_COLOR: '0', NO_COLOR: '1' });
    expect(stdoutIsTerminal(999_999_999)).toBe(false);
  });
});
