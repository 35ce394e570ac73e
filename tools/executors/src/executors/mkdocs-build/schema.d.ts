export interface MkdocsBuildExecutorSchema {
  config?: string;
  cfdocDir?: string;
  templates?: string;
  referenceDir?: string;
  outputPath?: string;
}
