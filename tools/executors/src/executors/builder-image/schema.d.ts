export interface BuilderImageExecutorSchema {
  runtime: string;
  dockerfile: string;
  context?: string;
  platforms?: string[];
  expectedRuntime?: string;
  deprecated?: string;
  repository?: string;
}
