export interface PythonEnvExecutorSchema {
  requirements?: string;
  python?: string;
  force?: boolean;
}
