export interface AmiValidateExecutorSchema {
  template?: string;
}
