import type { GuideOptions } from '../../lib/mkdocs';

export interface MkdocsBuildExecutorSchema extends GuideOptions {
  outputPath?: string;
  strict?: boolean;
}
