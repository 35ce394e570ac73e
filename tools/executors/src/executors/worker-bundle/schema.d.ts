export interface WorkerBundleExecutorSchema {
  sourceDir?: string;
  outputPath?: string;
  requirements?: string[];
  python?: string;
  runtime?: string;
  installer?: 'pip' | 'uv';
  buildConstraints?: string;
}
