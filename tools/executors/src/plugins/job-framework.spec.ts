import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-dir';
import { createNodes } from './job-framework';

let root: string;
beforeAll(() => {
  root = tempDir('job-framework-plugin-');
  mkdirSync(join(root, 'packages/lava/lava'), { recursive: true });
  writeFileSync(join(root, 'packages/lava/lava/VERSION.json'), '{"__version_num__": "9.1.0", "__version_name__": "Etna"}');
});

describe('job-framework plugin', () => {
  it('zips lava/resources for job-framework, on a virtual root in the lava tree, with the etc/ and bin/ its links lead to as inputs', async () => {
    const [[, result]] = await createNodes[1](['packages/lava/lava/VERSION.json'], {}, { nxJsonConfiguration: {}, workspaceRoot: root });
    const project = result.projects!['packages/lava/job-framework'];
    expect(project).toMatchObject({ name: 'job-framework', root: 'packages/lava/job-framework', projectType: 'library' });
    const build = project.targets!.build;
    expect(build).toMatchObject({
      executor: './tools/executors:job-framework',
      cache: true,
      outputs: ['{workspaceRoot}/dist/dev-tools/lava-job-framework-9.1.0.zip'],
      options: { resourcesDir: 'packages/lava/lava/resources', linkRoots: ['packages/lava/etc', 'packages/lava/bin'], outputPath: 'dist/dev-tools' },
    });
    expect(build.inputs).toEqual(
      expect.arrayContaining([
        '{workspaceRoot}/packages/lava/lava/resources/**/*',
        '{workspaceRoot}/packages/lava/etc/**/*',
        '{workspaceRoot}/packages/lava/bin/**/*',
        'version',
      ]),
    );
  });
});
