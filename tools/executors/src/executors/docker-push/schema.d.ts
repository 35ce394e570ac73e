export interface DockerPushExecutorSchema {
  os: string;
  registry?: string;
  prefix?: string;
  dockerRoot?: string;
  types?: string[];
}
