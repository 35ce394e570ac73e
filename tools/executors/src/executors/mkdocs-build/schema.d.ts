export interface MkdocsBuildExecutorSchema {
  userGuideDir?: string;
  mkdocsDir?: string;
  cfdocDir?: string;
  imgDir?: string;
  templates?: string;
  cfnChapter?: string;
  samplesScript?: string;
  samplesPage?: string;
  lavaPath?: string;
  outputPath?: string;
  strict?: boolean;
}
