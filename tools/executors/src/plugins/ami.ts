// The lava AMI: one `ami` project per folder holding lava-ami.json (packages/ami:
// our stand-in, or the real ami/ once adopted), with `validate` (packer
// validate, offline, cached) and `packer-build` (make ami: packer build,
// uncached: it makes an AMI in an AWS account; not named `build`, so that
// `nx run-many -t build` and CI's `nx affected -t build` never start one).
import { posix } from 'node:path';
import type { CreateNodesV2, TargetConfiguration } from '@nx/devkit';
// nx's own function, without loading all of @nx/devkit at graph time.
import { createNodesFromFiles } from 'nx/src/project-graph/plugins/utils';
import { LAVA_ROOT } from '../lib/workspace/adopt';

export interface AmiPluginOptions {
  validateTargetName?: string;
  buildTargetName?: string;
}

const TEMPLATE = 'lava-ami.json';
const EXECUTORS = './tools/executors';

export const createNodesV2: CreateNodesV2<AmiPluginOptions> = [
  `**/ami/${TEMPLATE}`,
  (files, options, context) =>
    createNodesFromFiles(
      (file, opts) => {
        const root = posix.dirname(file);
        return { projects: { [root]: { name: 'ami', root, projectType: 'application', tags: ['type:ami'], targets: amiTargets(opts ?? {}) } } };
      },
      files,
      options ?? {},
      context,
    ),
];

export const createNodes = createNodesV2;

function amiTargets(options: AmiPluginOptions): Record<string, TargetConfiguration> {
  return {
    [options.validateTargetName ?? 'validate']: {
      executor: `${EXECUTORS}:ami-validate`,
      cache: true,
      inputs: ['{projectRoot}/**/*', { runtime: 'packer version 2>/dev/null || echo no packer' }, 'buildTooling'],
      outputs: [],
      options: { template: TEMPLATE },
      metadata: { technologies: ['packer'], description: `packer validate of ${TEMPLATE} with stand-in values for its required variables (offline)` },
    },
    [options.buildTargetName ?? 'packer-build']: {
      executor: `${EXECUTORS}:ami-build`,
      cache: false,
      inputs: ['{projectRoot}/**/*', 'version'],
      dependsOn: [{ projects: ['python-env'], target: 'init' }],
      options: { template: TEMPLATE },
      metadata: {
        technologies: ['packer', 'aws'],
        description: `packer build of ${TEMPLATE} with make's variables from the options, a deploy config (--config --env), ami-build.yaml and SSM; logs and manifest in dist/ami (make ami)`,
        help: { command: `npx nx run ami:packer-build --config=${LAVA_ROOT}/deploy.yaml --env=prod --os=amzn2023 --dry-run`, example: {} },
      },
    },
  };
}
