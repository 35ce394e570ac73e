import type { GuideOptions } from '../../lib/docs/mkdocs';

export interface MkdocsBuildExecutorSchema extends GuideOptions {
  outputPath?: string;
  strict?: boolean;
}
