export interface FreezeExecutorSchema {
  pythonVersion?: string;
  upgrade?: boolean;
  check?: boolean;
}
