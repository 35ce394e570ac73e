export interface CfnBuildExecutorSchema {
  sourceDir?: string;
  outputPath?: string;
}
