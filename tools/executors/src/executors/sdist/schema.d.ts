export interface SdistExecutorSchema {
  sourceDir?: string;
  outputPath?: string;
  distribution?: string;
}
