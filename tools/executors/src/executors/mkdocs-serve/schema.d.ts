import type { MkdocsBuildExecutorSchema } from '../mkdocs-build/schema';

export interface MkdocsServeExecutorSchema extends Omit<MkdocsBuildExecutorSchema, 'outputPath' | 'strict'> {
  host?: string;
  port?: number;
  open?: boolean;
}
