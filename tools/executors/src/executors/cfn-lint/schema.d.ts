export interface CfnLintExecutorSchema {
  sourceDir?: string;
  outputPath?: string;
  failOn?: 'error' | 'warning' | 'informational';
}
