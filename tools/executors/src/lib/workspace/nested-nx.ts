// An nx run inside a task (the `pkg --configuration=<variant>` front door runs the cached
// variant target through a nested nx): its output joins the outer run's, so it must look like a
// task's output. The nested nx's closing block (" NX   Running target … failed", the failed
// task list, run duration) is dropped: the outer nx prints the one summary. Colour follows the
// user's terminal, which a task cannot see itself: Nx forces colour on in every task.
import { readlinkSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';

/** Does this line open nx's closing summary (not its opening "Running target … it depends on:" heading)? */
export function opensNxSummary(line: string): boolean {
  const plain = stripVTControlCharacters(line).trim();
  return /^NX\s+(Successfully ran target|Ran target|Running target .* failed$|Running targets? .* failed$|Nothing to run)/.test(plain);
}

/** nx's run statistics, which it prints on stderr after the summary. */
const STATS = /^\s*(Run duration|Cache|Critical path|Recoverable time):\s/;

/**
 * An execa line transform that passes lines until nx's closing summary, then drops the rest.
 * Give stdout and stderr the same `state`: the summary opens on one and goes on on the other.
 */
export function dropNxSummary(state: { dropping: boolean } = { dropping: false }): { transform: (line: unknown) => Generator<string>; preserveNewlines: true } {
  return {
    *transform(chunk: unknown) {
      const line = String(chunk);
      if (!state.dropping && opensNxSummary(line)) state.dropping = true;
      if (!state.dropping && !STATS.test(stripVTControlCharacters(line))) yield line;
    },
    preserveNewlines: true,
  };
}

/** Is the terminal of process `pid` (the outer nx) a TTY? Linux's /proc says; elsewhere, assume not. */
export function stdoutIsTerminal(pid: number): boolean {
  try {
    return /^\/dev\/(pts\/\d+|tty\w*)$/.test(readlinkSync(`/proc/${pid}/fd/1`));
  } catch {
    return false;
  }
}

/** Environment for a nested nx: no colour unless the outer nx writes to a terminal. */
export function nestedNxEnv(outerPid = process.ppid): Record<string, string> {
  return stdoutIsTerminal(outerPid) ? { NX_TUI: 'false' } : { NX_TUI: 'false', FORCE_COLOR: '0', NO_COLOR: '1' };
}
