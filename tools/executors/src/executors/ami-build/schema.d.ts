import type { AmiParameters } from '../../lib/release/ami';

export interface AmiBuildExecutorSchema extends AmiParameters {
  config?: string;
  env?: string;
  template?: string;
  dryRun?: boolean;
  endpoint?: string;
}
