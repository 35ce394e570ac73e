// `job-framework` (make tools): the cookiecutter template in lava/resources zipped, from the
// build's one version file, on a virtual root inside the lava tree. The template's links point
// out of lava/ into the tree's etc/ and bin/ (as the real template's do), and the zip stores what
// they point to, so those folders are inputs too; the executor refuses a link leading anywhere else.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TargetConfiguration } from '@nx/devkit';
import { nxRun } from '../lib/workspace/project-names';
import { parseVersion, VERSION_FILE } from '../lib/workspace/version';
import { bytecodeExcludes, envInputs, executor, inferProjects, inferred, targetMetadata, toolingInputs } from './shared';

export const createNodesV2 = inferProjects<Record<string, never>>({
  name: 'job-framework',
  glob: VERSION_FILE,
  options: {},
  infer: (_files, _options, context) => ({
    nodes: (file) => {
      const root = dirname(dirname(file));
      const version = parseVersion(readFileSync(join(context.workspaceRoot, file), 'utf8'), file).num;
      return inferred({ name: 'job-framework', root: `${root}/job-framework`, projectType: 'library', tags: ['type:python'], targets: { build: buildTarget(root, version) } });
    },
  }),
});

export const createNodes = createNodesV2;

function buildTarget(root: string, version: string): TargetConfiguration {
  const resources = `${root}/lava/resources`;
  const linkRoots = [`${root}/etc`, `${root}/bin`];
  return {
    executor: executor('job-framework'),
    cache: true,
    inputs: [
      ...[resources, ...linkRoots].map((dir) => `{workspaceRoot}/${dir}/**/*`),
      ...bytecodeExcludes(`{workspaceRoot}/${resources}`),
      'version',
      ...toolingInputs('job-framework'),
      ...envInputs('SOURCE_DATE_EPOCH'),
    ],
    outputs: [`{workspaceRoot}/dist/dev-tools/lava-job-framework-${version}.zip`],
    options: { resourcesDir: resources, linkRoots, outputPath: 'dist/dev-tools' },
    metadata: targetMetadata(
      ['python', 'cookiecutter'],
      `The job-framework cookiecutter template (${resources}/cookiecutter) as dist/dev-tools/lava-job-framework-${version}.zip, plus etc/version (make tools)`,
      nxRun('job-framework', 'build'),
    ),
  };
}
