export interface DeployExecutorSchema {
  env?: string;
  config?: string;
  components?: string[];
  version?: string;
  dryRun?: boolean;
  list?: boolean;
  distDir?: string;
  amiDir?: string;
  region?: string;
  endpoint?: string;
}
