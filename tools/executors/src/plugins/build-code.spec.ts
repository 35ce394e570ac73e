import { describe, expect, it } from 'vitest';
import { createNodesV2 } from './build-code';

describe('build-code plugin', () => {
  it('makes the executors project with a cached test target over its specs, without a project.json', async () => {
    const [[, result]] = await createNodesV2[1](['tools/executors/executors.json'], {}, { nxJsonConfiguration: {}, workspaceRoot: '/ws' } as never);
    const project = result.projects!['tools/executors'];
    expect(project.name).toBe('executors');
    expect(project.targets!.test).toMatchObject({
      executor: 'nx:run-commands',
      cache: true,
      options: { command: 'vitest run --project unit tools/executors/', cwd: '{workspaceRoot}' },
    });
    // So that Nx never loads the TypeScript compiler to resolve our executors' schemas (build-code.ts).
    expect(project.metadata?.js).toBe(false);
    expect(project.targets!.test.inputs).toEqual(expect.arrayContaining(['{projectRoot}/**/*', '!{projectRoot}/**/*.md', '{workspaceRoot}/vitest.config.ts']));
  });
});
