import { describe, expect, it } from 'vitest';
import { createNodesV2 } from './ami';
import { toolingInputs } from './shared';

describe('ami plugin', () => {
  it('makes the ami project from the folder holding lava-ami.json: validate cached on its files and packer version, packer-build uncached (not caught by -t build)', async () => {
    const [[, result]] = await createNodesV2[1](['packages/ami/lava-ami.json'], {}, { nxJsonConfiguration: {}, workspaceRoot: '/ws' } as never);
    const project = result.projects!['packages/ami'];
    expect(project.name).toBe('ami');
    expect(project.targets!.validate).toMatchObject({
      executor: './tools/executors:ami-validate',
      cache: true,
      inputs: ['{projectRoot}/**/*', { runtime: 'packer version 2>/dev/null || echo no packer' }, ...toolingInputs('ami-validate')],
    });
    expect(project.targets!.build).toBeUndefined();
    expect(project.targets!['packer-build']).toMatchObject({ executor: './tools/executors:ami-build', cache: false });
  });
});
