export interface PytestExecutorSchema {
  testDir?: string;
  parallel?: 'auto' | number | false;
  coverage?: boolean;
  outputPath?: string;
}
