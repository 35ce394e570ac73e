export interface OracleSyncExecutorSchema {
  baseUrl?: string;
  directory?: string;
  types?: string[];
}
