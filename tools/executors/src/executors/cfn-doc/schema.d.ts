export interface CfnDocExecutorSchema {
  sourceDir?: string;
  outputPath?: string;
  formats?: Array<'md' | 'html'>;
}
