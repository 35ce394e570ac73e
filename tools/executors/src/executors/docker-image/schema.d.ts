export interface DockerImageExecutorSchema {
  os: string;
  type: string;
  dockerRoot?: string;
  oracleDir?: string;
  workerDir?: string;
  platforms?: string[];
  noCache?: boolean;
}
