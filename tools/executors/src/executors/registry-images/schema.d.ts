export interface RegistryImagesExecutorSchema {
  json?: boolean;
}
