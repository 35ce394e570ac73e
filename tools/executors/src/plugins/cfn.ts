// Every folder holding *.cfn.json template sources is a cfn project (packages/cfn
// here; the real lava's cfn/ once moved in) with build, doc and lint targets.
import { basename, dirname } from 'node:path';
import type { CreateNodes, TargetConfiguration } from '@nx/devkit';
// nx's own function, without loading all of @nx/devkit at graph time.
import { createNodesFromFiles } from 'nx/src/project-graph/plugins/utils';

export interface CfnPluginOptions {
  buildTargetName?: string;
  docTargetName?: string;
  lintTargetName?: string;
}

const TEMPLATE_GLOB = '**/*.cfn.json';
const EXECUTORS = './tools/executors';
const PYTHON_ENV = { projects: ['python-env'], target: 'init' };

export const createNodes: CreateNodes<CfnPluginOptions> = [
  TEMPLATE_GLOB,
  (files, options, context) =>
    createNodesFromFiles(
      (file, opts) => {
        const root = dirname(file);
        const name = basename(root);
        return { projects: { [root]: { name, root, projectType: 'library', tags: ['type:cfn'], targets: cfnTargets(name, opts ?? {}) } } };
      },
      files,
      options ?? {},
      context,
    ),
];

export const createNodesV2 = createNodes;

function cfnTargets(name: string, options: CfnPluginOptions): Record<string, TargetConfiguration> {
  const build = options.buildTargetName ?? 'build';
  const outputPath = `dist/${name}`;
  const builtTemplates = { dependentTasksOutputFiles: '**/*.cfn.json' };
  return {
    [build]: {
      executor: `${EXECUTORS}:cfn-build`,
      cache: true,
      inputs: ['{projectRoot}/*.cfn.json', 'version', 'buildTooling'],
      outputs: [`{workspaceRoot}/${outputPath}/*.cfn.json`],
      options: { outputPath },
      metadata: {
        technologies: ['cloudformation'],
        description: 'Deployable templates: the version injected into Parameters.Version (make cfn)',
        help: { command: `npx nx run ${name}:${build}`, example: {} },
      },
    },
    [options.docTargetName ?? 'doc']: {
      executor: `${EXECUTORS}:cfn-doc`,
      cache: true,
      dependsOn: [build, PYTHON_ENV],
      inputs: [builtTemplates, '{projectRoot}/*.cfn.json', 'pythonTools', 'buildTooling'],
      outputs: [`{workspaceRoot}/${outputPath}/*.cfn.md`, `{workspaceRoot}/${outputPath}/*.cfn.html`],
      options: { outputPath },
      metadata: { technologies: ['cloudformation'], description: 'Markdown and HTML documentation of the built templates (cfdoc)' },
    },
    [options.lintTargetName ?? 'lint']: {
      executor: `${EXECUTORS}:cfn-lint`,
      cache: true,
      dependsOn: [build, PYTHON_ENV],
      inputs: [builtTemplates, '{projectRoot}/*.cfn.json', 'pythonTools', 'buildTooling'],
      outputs: [],
      options: { outputPath },
      metadata: { technologies: ['cloudformation'], description: 'cfn-lint over the built templates' },
    },
  };
}
