export interface MkdocsServeExecutorSchema {
  config?: string;
  cfdocDir?: string;
  templates?: string;
  referenceDir?: string;
  host?: string;
  port?: number;
  open?: boolean;
}
