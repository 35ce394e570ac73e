export interface JobFrameworkExecutorSchema {
  /** The lava/resources folder holding cookiecutter/cookiecutter.json. */
  resourcesDir?: string;
  /** Folders links in the template may point into (declared inputs of the target). */
  linkRoots?: string[];
  outputPath?: string;
  symlinks?: 'follow' | 'refuse';
}
