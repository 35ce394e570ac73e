import type { VerifyOptions } from '../../lib/verify/verify';

export type VerifyReproducibleExecutorSchema = VerifyOptions;
