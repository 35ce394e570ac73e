export interface DockerCheckExecutorSchema {
  os: string;
  dockerRoot?: string;
  types?: string[];
  platforms?: string[];
}
