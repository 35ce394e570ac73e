// One error type for everything a user can fix. Its message is the one line
// the executor prints: what is wrong, then what to run about it.

export interface BuildErrorOptions {
  /** The command (or action) that fixes the problem, shown after "run:". */
  fix?: string;
  /** Longer detail (a tool's stderr tail), printed below the one line. */
  detail?: string;
  /** The detail was already on screen (the tool's output streamed live): do not print it again. */
  detailShown?: boolean;
  cause?: unknown;
}

export class BuildError extends Error {
  readonly problem: string;
  readonly fix?: string;
  readonly detail?: string;
  readonly detailShown?: boolean;

  constructor(problem: string, options: BuildErrorOptions = {}) {
    super(options.fix ? `${problem}; run: ${options.fix}` : problem, { cause: options.cause });
    this.name = 'BuildError';
    this.problem = problem;
    this.fix = options.fix;
    this.detail = options.detail;
    this.detailShown = options.detailShown;
  }
}

export function isBuildError(error: unknown): error is BuildError {
  return error instanceof BuildError;
}
