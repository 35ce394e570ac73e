import type { GuideOptions } from '../../lib/mkdocs';

export interface MkdocsServeExecutorSchema extends GuideOptions {
  host?: string;
  port?: number;
  open?: boolean;
}
