export interface DockerEcrPushExecutorSchema {
  os: string;
  prefix?: string;
  region?: string;
  endpoint?: string;
  registry?: string;
  dockerRoot?: string;
  types?: string[];
}
