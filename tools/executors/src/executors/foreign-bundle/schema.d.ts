import type { ForeignBundleOptions } from '../../lib/python/foreign-bundle';

export type ForeignBundleExecutorSchema = ForeignBundleOptions;
