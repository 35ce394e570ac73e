import type { GuideOptions } from '../../lib/docs/mkdocs';

export interface MkdocsServeExecutorSchema extends GuideOptions {
  host?: string;
  port?: number;
  open?: boolean;
}
