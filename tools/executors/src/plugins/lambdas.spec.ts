// The lambdas plugin on a real tree: a Lambda folder, the version file and a builders folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-dir';
import { createNodes } from './lambdas';
import { toolingInputs } from './shared';

let root: string;
const BUILDERS_DIR = 'x/builders';
/** The builders folder is the builders plugin's option, read from its nx.json entry. */
const nxJsonConfiguration = { plugins: [{ plugin: './tools/executors/plugins/builders.js', options: { buildersDir: BUILDERS_DIR } }] };

beforeAll(() => {
  root = tempDir('lambdas-plugin-');
  mkdirSync(join(root, BUILDERS_DIR), { recursive: true });
  for (const b of ['amzn2023-py3.13', 'rocky9-p3.9', 'custom']) writeFileSync(join(root, `${BUILDERS_DIR}/${b}.Dockerfile`), 'FROM scratch\n');
  mkdirSync(join(root, 'packages/lava/lava'), { recursive: true });
  writeFileSync(join(root, 'packages/lava/lava/VERSION.json'), '{"__version_num__": "8.2.0", "__version_name__": "Kilauea"}');
  mkdirSync(join(root, 'packages/lambda/dispatch'), { recursive: true });
  writeFileSync(join(root, 'packages/lambda/dispatch/requirements.txt'), 'jinja2==3.1.6\n');
});

async function dispatch(options: object = {}) {
  const [[, result]] = await createNodes[1](['packages/lambda/dispatch/requirements.txt'], options, { nxJsonConfiguration, workspaceRoot: root });
  return result.projects!['packages/lambda/dispatch'];
}

describe('lambdas plugin', () => {
  it('makes lambda-<folder>, its build in the amzn2023-py3.13 builder on linux/arm64, beside builders that are not runtimes', async () => {
    const project = await dispatch();
    expect(project).toMatchObject({ name: 'lambda-dispatch', root: 'packages/lambda/dispatch', projectType: 'application', tags: ['type:lambda'] });
    // The one edge to a builder (tools/executors/README.md): safe because no target on either end has `^` inputs.
    expect(project.implicitDependencies).toEqual(['builder-amzn2023-py3.13']);
    const build = project.targets!.build;
    expect([build.executor, build.cache, build.outputs]).toEqual(['./tools/executors:lambda-bundle', true, ['{workspaceRoot}/dist/lambda/dispatch-8.2.0.zip']]);
    expect(build.dependsOn).toEqual([{ projects: ['builder-amzn2023-py3.13'], target: 'build' }, { projects: ['registry'], target: 'serve', waitFor: 'ready' }]);
    expect(build.options).toEqual({ name: 'dispatch', runtime: 'amzn2023-py3.13', platform: 'linux/arm64', lavaPackage: 'packages/lava/lava' });
    expect(build.inputs!.some((i) => typeof i === 'string' && i.startsWith('^'))).toBe(false);
  });

  it('rebuilds on a new builder digest and pip settings, not on byte code', async () => {
    const inputs = (await dispatch()).targets!.build.inputs!;
    expect(inputs).toEqual(
      expect.arrayContaining([
        '{projectRoot}/**/*',
        '!{workspaceRoot}/**/__pycache__/**',
        '!{workspaceRoot}/**/*.pyc',
        ...toolingInputs('lambda-bundle'),
        { dependentTasksOutputFiles: '**/image.digest', transitive: false },
        { env: 'PIP_INDEX_URL' },
        { env: 'PIP_TRUSTED_HOST' },
        { env: 'SOURCE_DATE_EPOCH' },
      ]),
    );
  });

  it('builds in the runtime and for the platform its options name', async () => {
    const project = await dispatch({ runtime: 'custom', platform: 'linux/amd64' });
    expect(project.implicitDependencies).toEqual(['builder-custom']);
    expect(project.targets!.build.options).toMatchObject({ runtime: 'custom', platform: 'linux/amd64' });
  });

  it('makes no edge to a builder that is not there (the graph stands; the build says what is missing)', async () => {
    const project = await dispatch({ runtime: 'amzn2023-py3.14' });
    expect(project.implicitDependencies).toEqual([]);
    expect(project.targets!.build.dependsOn).toEqual([expect.objectContaining({ projects: ['registry'] })]);
  });

  it('refuses an option it does not know', () => {
    expect(() => createNodes[1](['packages/lambda/dispatch/requirements.txt'], { buildTargetName: 'zip' } as never, { nxJsonConfiguration, workspaceRoot: root })).toThrow(
      /lambdas\.ts: unknown option "buildTargetName"/,
    );
  });
});
