import { describe, expect, it } from 'vitest';
import { createNodes } from './cfn';
import { toolingInputs } from './shared';

const context = { nxJsonConfiguration: {}, workspaceRoot: '/ws' };

describe('cfn plugin', () => {
  it('makes one project per folder of templates, named after the folder', async () => {
    const results = await createNodes[1](
      ['packages/cfn/lava-common.cfn.json', 'packages/cfn/lava-realm.cfn.json', 'legacy/cfn2/old.cfn.json'],
      {},
      context,
    );
    const projects = results.map(([, result]) => result.projects ?? {});
    expect(projects.map((p) => Object.values(p)[0]?.name)).toEqual(['cfn', 'cfn', 'cfn2']);
    const cfn = projects[0]['packages/cfn'];
    expect(Object.keys(cfn.targets ?? {})).toEqual(['build', 'doc', 'lint']);
  });

  it('declares the inputs and outputs that make the cache right', async () => {
    const [[, result]] = await createNodes[1](['packages/cfn/lava-common.cfn.json'], {}, context);
    const targets = result.projects!['packages/cfn'].targets!;
    expect(targets.build).toMatchObject({
      cache: true,
      inputs: ['{projectRoot}/*.cfn.json', 'version', ...toolingInputs('cfn-build')],
      outputs: ['{workspaceRoot}/dist/cfn/*.cfn.json'],
    });
    expect(targets.doc.dependsOn).toEqual(['build', { projects: ['python-env'], target: 'init' }]);
    expect(targets.doc.inputs).toContainEqual({ dependentTasksOutputFiles: '**/*.cfn.json' });
    expect(targets.doc.inputs).toContain('pythonTools');
    expect(targets.doc.outputs).toEqual(['{workspaceRoot}/dist/cfn/*.cfn.md', '{workspaceRoot}/dist/cfn/*.cfn.html']);
    expect(targets.lint).toMatchObject({ cache: true, outputs: [] });
  });

  // Target names are fixed: other plugins' edges and the executors' error messages name them.
  it('refuses a target-name option', () => {
    expect(() => createNodes[1](['packages/cfn/a.cfn.json'], { buildTargetName: 'cfn-build' } as never, context)).toThrow(/cfn\.ts: unknown option "buildTargetName"/);
  });
});
