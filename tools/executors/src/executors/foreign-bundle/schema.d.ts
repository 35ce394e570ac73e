export interface ForeignBundleExecutorSchema {
  runtime: string;
  platform: string;
  sourceDir?: string;
  requirements?: string[];
  outputPath?: string;
}
