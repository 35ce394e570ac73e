export interface GhPagesExecutorSchema {
  site?: string;
  remote?: string;
  branch?: string;
  mainBranch?: string;
}
