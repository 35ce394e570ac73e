export interface RunVariantExecutorSchema {
  target: string;
  [option: string]: unknown;
}
