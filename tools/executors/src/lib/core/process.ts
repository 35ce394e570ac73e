// The one way this build runs a program: argv arrays (never a shell string),
// live output with secrets redacted, and a BuildError on failure that names the
// command and ends with the tail of its stderr.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Result } from 'execa';
import { BuildError } from './errors';
import { explainFailure, shortCommand } from './explain';
import { heartbeat } from './progress';
import { redact } from './redact';
import { beforeContainerRun, labelled } from './sweep';

export interface RunOptions {
  cwd?: string;
  /** Added to the inherited environment (never mutates process.env). */
  env?: Record<string, string | undefined>;
  /** Strings to hide wherever the command line or its output is shown. */
  secrets?: readonly string[];
  /** Stream the program's output to ours while it runs (default true). */
  stream?: boolean;
  /** What to run when the program is not installed, e.g. "apt-get install bzip2". */
  missingHint?: string;
  /** A short description of the step for the error line, e.g. "cfn-lint". */
  label?: string;
  input?: string | Uint8Array;
  /** Stops the program (a server, say) when aborted; run() then resolves instead of failing. */
  cancelSignal?: AbortSignal;
  /** After this much silence, say it is still running (default 10 s; 0 never; servers pass 0). */
  heartbeatMs?: number;
  /** On failure, put all of stdout and stderr, interleaved, in the error's detail (for callers that read it). */
  fullOutput?: boolean;
  /**
   * Return stdout and stderr as the program wrote them, credentials included, for a caller that
   * must use them (pip's config); only with `stream: false`. Error lines stay redacted.
   */
  unredacted?: boolean;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const TAIL_LINES = 20;

export function tail(text: string, lines = TAIL_LINES): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** The command line as a user could paste it, secrets redacted. */
export function displayCommand(file: string, args: readonly string[], secrets: readonly string[] = []): string {
  const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
  return redact([file, ...args].map(quote).join(' '), secrets);
}

export async function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const secrets = options.secrets ?? [];
  const stream = options.stream ?? true;
  const beat = options.heartbeatMs === 0 || options.cancelSignal ? undefined : heartbeat(options.label ?? file, { everyMs: options.heartbeatMs });
  const hide = {
    *transform(line: string) {
      beat?.output();
      yield redact(line, secrets);
    },
    preserveNewlines: true,
  };
  const sink = (target: 'inherit') => (stream ? [hide, 'pipe', target] : options.unredacted ? ['pipe'] : [hide, 'pipe']);
  // Every container a build starts carries its owner's label and is removed if the owner dies.
  if (file === 'docker' && args[0] === 'run') {
    await beforeContainerRun();
    args = labelled(args);
  }
  let result: Result;
  try {
    // Loaded on first use: the project graph imports this module and never runs a process.
    const { execa } = await import('execa');
    result = await execa(file, [...args], {
      cwd: options.cwd,
      env: options.env,
      extendEnv: true,
      input: options.input,
      stdin: options.input === undefined ? 'ignore' : undefined,
      stdout: sink('inherit') as never,
      stderr: sink('inherit') as never,
      reject: false,
      stripFinalNewline: false,
      cancelSignal: options.cancelSignal,
      all: options.fullOutput ?? false,
    });
  } catch (error) {
    throw spawnFailure(file, args, options, error);
  } finally {
    beat?.stop();
  }
  const command = displayCommand(file, args, secrets);
  if (result.failed && (result as { code?: string }).code === 'ENOENT') {
    throw notInstalled(file, options);
  }
  if (result.isCanceled) {
    return { stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? ''), exitCode: result.exitCode ?? 0 };
  }
  if (result.failed) {
    const stdout = String(result.stdout ?? '');
    const stderr = String(result.stderr ?? '');
    const why = result.exitCode !== undefined ? `exit code ${result.exitCode}` : (result.signal ?? 'killed');
    const detail = redact(options.fullOutput ? String(result.all ?? `${stdout}\n${stderr}`) : tail(stderr || stdout), secrets);
    // Streamed output is on screen already: the error line follows it, without repeating it.
    const explained = explainFailure(file, args, redact(`${stderr}\n${stdout}`, secrets));
    if (explained) throw new BuildError(`${options.label ?? file}: ${explained.problem}`, { fix: explained.fix, detail, detailShown: stream });
    throw new BuildError(`${options.label ?? file} failed (${why}): ${shortCommand(command)}`, { detail, detailShown: stream });
  }
  return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode ?? 0 };
}

function notInstalled(file: string, options: RunOptions): BuildError {
  return new BuildError(`${file} not found on PATH`, options.missingHint ? { fix: options.missingHint } : {});
}

function spawnFailure(file: string, args: readonly string[], options: RunOptions, error: unknown): BuildError {
  if ((error as { code?: string }).code === 'ENOENT') return notInstalled(file, options);
  const command = displayCommand(file, args, options.secrets);
  return new BuildError(`${options.label ?? file} could not start: ${command}`, {
    detail: redact(String((error as Error).message ?? error), options.secrets),
    cause: error,
  });
}

/** An executable `program` is in one of the directories of `path` (PATH by default). */
export function onPath(program: string, path = process.env.PATH ?? ''): boolean {
  return path.split(delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
