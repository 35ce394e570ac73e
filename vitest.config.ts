import { configDefaults, defineConfig } from 'vitest/config';

// Three suites: `unit` (the library, executors and plugins; fast, no nx), `workspace` (real nx
// runs in temp copies of this workspace; slow, no docker engine) and `docker` (real nx against
// the engine, registry and qemu of tools/docker-engine/engine.sh: e2e/*.docker.spec.ts).
// The two nx suites run one file at a time, `workspace` before `docker` (sequence.groupOrder):
// each file drives nx, pip, buildx or qemu over every core, and the docker files share one
// registry on 127.0.0.1:5001, so two at once would only trade speed for timeouts.
const NX_SUITE = { testTimeout: 600_000, hookTimeout: 600_000, fileParallelism: false };

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
          exclude: [...configDefaults.exclude, 'e2e/**/*.docker.spec.ts'],
          ...NX_SUITE,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'docker',
          include: ['e2e/**/*.docker.spec.ts'],
          // Fails the run if a docker test left an image under a real builder's name in the registry.
          globalSetup: ['e2e/support/registry-guard.ts'],
          ...NX_SUITE,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
