export interface RegistryServeExecutorSchema {
  storage?: string;
}
