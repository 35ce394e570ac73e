export interface DockerEcrRepoExecutorSchema {
  os: string;
  prefix?: string;
  region?: string;
  endpoint?: string;
  dockerRoot?: string;
  types?: string[];
}
