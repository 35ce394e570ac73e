import { defineConfig } from 'vitest/config';

// Two suites: `unit` (the library, executors and plugins; fast, no nx) and
// `workspace` (real nx runs in temp copies of this workspace; slow).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tools/**/*.spec.ts'],
          // Specs that start `node -r @swc-node/register …` would leave its transform cache in /tmp.
          env: { SWC_NODE_CACHE_DIR: 'node_modules/.cache/swc-node' },
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'workspace',
          include: ['e2e/**/*.spec.ts'],
          // Fails the run if a docker test left an image under a real builder's name in the registry.
          globalSetup: ['e2e/support/registry-guard.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
