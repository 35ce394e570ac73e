export interface ForeignBundleExecutorSchema {
  runtime: string;
  expectedRuntime?: string;
  platform: string;
  sourceDir?: string;
  requirements?: string[];
  outputPath?: string;
}
