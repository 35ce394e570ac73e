// Every folder holding *.cfn.json template sources is a cfn project (packages/cfn
// here; the real lava's cfn/ once moved in) with build, doc and lint targets.
import { basename, dirname } from 'node:path';
import type { TargetConfiguration } from '@nx/devkit';
import { nxRun } from '../lib/workspace/project-names';
import { executor, inferProjects, inferred, PYTHON_ENV_INIT, targetMetadata, toolingInputs } from './shared';

export const createNodesV2 = inferProjects<Record<string, never>>({
  name: 'cfn',
  glob: '**/*.cfn.json',
  options: {},
  infer: () => ({
    nodes: (file) => {
      const root = dirname(file);
      const name = basename(root);
      return inferred({ name, root, projectType: 'library', tags: ['type:cfn'], targets: cfnTargets(name) });
    },
  }),
});

export const createNodes = createNodesV2;

function cfnTargets(name: string): Record<string, TargetConfiguration> {
  const outputPath = `dist/${name}`;
  /** doc and lint read the built templates, after the build. */
  const onBuilt = (executorName: string): TargetConfiguration => ({
    executor: executor(executorName),
    cache: true,
    dependsOn: ['build', PYTHON_ENV_INIT],
    inputs: [{ dependentTasksOutputFiles: '**/*.cfn.json' }, '{projectRoot}/*.cfn.json', 'pythonTools', ...toolingInputs(executorName)],
    options: { outputPath },
  });
  return {
    build: {
      executor: executor('cfn-build'),
      cache: true,
      inputs: ['{projectRoot}/*.cfn.json', 'version', ...toolingInputs('cfn-build')],
      outputs: [`{workspaceRoot}/${outputPath}/*.cfn.json`],
      options: { outputPath },
      metadata: targetMetadata(['cloudformation'], 'Deployable templates: the version injected into Parameters.Version (make cfn)', nxRun(name, 'build')),
    },
    doc: {
      ...onBuilt('cfn-doc'),
      outputs: [`{workspaceRoot}/${outputPath}/*.cfn.md`, `{workspaceRoot}/${outputPath}/*.cfn.html`],
      metadata: targetMetadata(['cloudformation'], 'Markdown and HTML documentation of the built templates (cfdoc)'),
    },
    lint: { ...onBuilt('cfn-lint'), outputs: [], metadata: targetMetadata(['cloudformation'], 'cfn-lint over the built templates') },
  };
}
