export interface JobFrameworkExecutorSchema {
  templateDir?: string;
  outputPath?: string;
  symlinks?: 'follow' | 'refuse';
}
