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
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'workspace',
          include: ['e2e/**/*.spec.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
