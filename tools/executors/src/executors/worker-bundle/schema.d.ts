import type { WorkerBundleOptions } from '../../lib/python/worker-bundle';

export type WorkerBundleExecutorSchema = WorkerBundleOptions;
