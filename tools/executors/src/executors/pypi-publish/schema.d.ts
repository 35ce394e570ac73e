export interface PypiPublishExecutorSchema {
  repository?: string;
  pypirc?: string;
  distribution?: string;
  distDir?: string;
}
