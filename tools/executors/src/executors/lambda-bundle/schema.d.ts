export interface LambdaBundleExecutorSchema {
  name: string;
  runtime?: string;
  platform?: string;
  lavaPackage?: string;
  outputPath?: string;
  installer?: 'uv' | 'pip';
}
