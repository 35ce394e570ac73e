// The build's own code as a project, `executors` (tools/executors), with a cached `test` target,
// so `nx affected -t test` runs its specs when they change. Inferred here rather than written in a
// project.json: Nx takes a plugin that lives inside a project.json or package.json project for a
// local plugin built from TypeScript and loads a TypeScript compiler for every graph (~130 ms on
// each nx command), though ours are JavaScript entries (plugins/*.js) over their own cache.
import { posix } from 'node:path';
import { inferProjects, inferred, PYTHON_ENV_INIT } from './shared';

// Some specs copy these stand-ins of the lava tree: a change to them may change what a spec sees.
const SPEC_FIXTURES = ['packages/ami', 'packages/cfn', 'packages/docker', 'packages/docs/cfdoc', 'packages/docs/img', 'packages/docs/mkdocs'];

export const createNodesV2 = inferProjects<Record<string, never>>({
  name: 'build-code',
  glob: 'tools/executors/executors.json',
  options: {},
  infer: () => ({
    nodes: (file) => {
      const root = posix.dirname(file);
      return inferred({
        name: 'executors',
        root,
        sourceRoot: `${root}/src`,
        projectType: 'library',
        tags: ['type:tool'],
        // Not a JavaScript package to resolve sources in: with `js` unset, Nx reads this folder's
        // package.json and, to look for each executor's schema "from source" in it, loads the
        // TypeScript compiler to read tsconfig.base.json (~170 ms of every nx command run through
        // the daemon). Our schema paths name the sources already; `false` makes Nx skip that look-up.
        metadata: { js: false as never },
        targets: {
          test: {
            executor: 'nx:run-commands',
            cache: true,
            dependsOn: [PYTHON_ENV_INIT],
            inputs: [
              '{projectRoot}/**/*',
              '!{projectRoot}/**/*.md',
              ...SPEC_FIXTURES.map((dir) => `{workspaceRoot}/${dir}/**/*`),
              '{workspaceRoot}/vitest.config.ts',
              '{workspaceRoot}/tsconfig.base.json',
              '{workspaceRoot}/package-lock.json',
              'pythonTools',
            ],
            outputs: [],
            options: { command: `vitest run --project unit ${root}/`, cwd: '{workspaceRoot}' },
            metadata: {
              description:
                'The unit specs of the executors, plugins and their library, with the real tools they drive (some specs copy the stand-ins of packages/ami, cfn, docker and the guide\'s cfdoc, img and mkdocs folders, hence those inputs)',
            },
          },
        },
      });
    },
  }),
});

export const createNodes = createNodesV2;
