import type { PreviewOptions } from '../../lib/docs/preview';

export type MkdocsServeExecutorSchema = PreviewOptions;
