export interface CfnLintExecutorSchema {
  sourceDir?: string;
  outputPath?: string;
  /** The least severe finding that fails the target: `error` (default; warnings are printed and pass), `warning` (warnings are fatal), `informational`. */
  failOn?: 'error' | 'warning' | 'informational';
}
