// The lava AMI: one `ami` project per folder holding lava-ami.json (packages/ami:
// our stand-in, or the real ami/ once adopted), with `validate` (packer
// validate, offline, cached) and `packer-build` (make ami: packer build,
// uncached: it makes an AMI in an AWS account; not named `build`, so that
// `nx run-many -t build` and CI's `nx affected -t build` never start one).
import { posix } from 'node:path';
import type { TargetConfiguration } from '@nx/devkit';
import { LAVA_ROOT } from '../lib/workspace/adopt';
import { nxRun } from '../lib/workspace/project-names';
import { executor, inferProjects, inferred, PYTHON_ENV_INIT, targetMetadata, toolingInputs } from './shared';

const TEMPLATE = 'lava-ami.json';

export const createNodesV2 = inferProjects<Record<string, never>>({
  name: 'ami',
  glob: `**/ami/${TEMPLATE}`,
  options: {},
  infer: () => ({
    nodes: (file) => {
      return inferred({ name: 'ami', root: posix.dirname(file), projectType: 'application', tags: ['type:ami'], targets: amiTargets() });
    },
  }),
});

export const createNodes = createNodesV2;

function amiTargets(): Record<string, TargetConfiguration> {
  return {
    validate: {
      executor: executor('ami-validate'),
      cache: true,
      inputs: ['{projectRoot}/**/*', { runtime: 'packer version 2>/dev/null || echo no packer' }, ...toolingInputs('ami-validate')],
      outputs: [],
      options: { template: TEMPLATE },
      metadata: targetMetadata(['packer'], `packer validate of ${TEMPLATE} with stand-in values for its required variables (offline)`),
    },
    'packer-build': {
      executor: executor('ami-build'),
      cache: false,
      inputs: ['{projectRoot}/**/*', 'version'],
      dependsOn: [PYTHON_ENV_INIT],
      options: { template: TEMPLATE },
      metadata: targetMetadata(
        ['packer', 'aws'],
        `packer build of ${TEMPLATE} with make's variables from the options, a deploy config (--config --env), ami-build.yaml and SSM; logs and manifest in dist/ami (make ami)`,
        `${nxRun('ami', 'packer-build')} --config=${LAVA_ROOT}/deploy.yaml --env=prod --os=amzn2023 --dry-run`,
      ),
    },
  };
}
