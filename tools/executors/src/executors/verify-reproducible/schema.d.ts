export interface VerifyReproducibleExecutorSchema {
  /** Projects (names or nx patterns) built in both clones; a comma-separated string works too. */
  projects?: string[] | string;
  /** Targets built in both clones; a comma-separated string works too. */
  targets?: string[] | string;
  /** The user the second build runs as, when run as root and that user can run the tools. */
  user?: string;
  workDir?: string;
  keep?: boolean;
  reportDir?: string;
}
