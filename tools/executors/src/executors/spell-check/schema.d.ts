export interface SpellCheckExecutorSchema {
  files?: string[];
  dictionary?: string;
  lang?: string;
}
