import { describe, expect, it } from 'vitest';
import { createNodesV2 } from './lava-checks';
import { toolingInputs } from './shared';

const context = { nxJsonConfiguration: {}, workspaceRoot: '/ws' };
const files = [
  'packages/lava/lava/VERSION.json',
  'packages/lambda/dispatch/requirements.txt',
  'packages/lambda/stop/requirements.txt',
  'packages/docker/os/amzn2023/from.txt',
  'packages/docker/os.legacy/rocky9/from.txt',
];

async function projects(options = {}) {
  const results = await createNodesV2[1](files, options, context as never);
  return Object.assign({}, ...results.map(([, r]) => r.projects ?? {}));
}

describe('lava-checks plugin', () => {
  it('adds lint to the lava root, each Lambda and each docker OS (not a legacy one), by root', async () => {
    const p = await projects();
    expect(Object.keys(p).sort()).toEqual(['packages/docker/os/amzn2023', 'packages/lambda/dispatch', 'packages/lambda/stop', 'packages/lava', 'packages/lava/jinlava']);
    expect(Object.keys(p['packages/lava'].targets)).toEqual(['lint', 'test', 'deploy']);
    expect(p['packages/lava'].targets.deploy).toMatchObject({ executor: './tools/executors:deploy', cache: false, options: { config: 'packages/lava/deploy.yaml' } });
    expect(p['packages/lava/jinlava'].targets.publish).toMatchObject({
      executor: './tools/executors:pypi-publish',
      cache: false,
      dependsOn: ['build', { projects: ['python-env'], target: 'init' }],
      inputs: ['version', { dependentTasksOutputFiles: '**/*.tar.gz', transitive: false }],
    });
    for (const root of Object.keys(p).filter((r) => !r.endsWith('/jinlava'))) {
      expect(p[root].name).toBeUndefined();
      if (root !== 'packages/lava') expect(Object.keys(p[root].targets)).toEqual(['lint']);
      expect(p[root].targets.lint).toMatchObject({ executor: './tools/executors:lava-lint', cache: true, outputs: [], dependsOn: [{ projects: ['python-env'], target: 'init' }] });
    }
  });

  it('the lava root checks the tree less the folders with a lint of their own; its inputs are exactly that', async () => {
    const lint = (await projects())['packages/lava'].targets.lint;
    expect(lint.options.include).toEqual([
      'packages/lava/**',
      ...['py', 'sh', 'yaml', 'yml'].map((e) => `etc/builders/**/*.${e}`),
      ...['py', 'sh', 'yaml', 'yml'].map((e) => `packages/cfn/**/*.${e}`),
      'packages/lambda/**',
      'packages/docs/**/*.yaml',
      'packages/docs/**/*.yml',
      'packages/dev-tools/**',
      'packages/docker/**',
      'packages/ami/**',
    ]);
    expect(lint.options.exclude).toEqual([
      'packages/docker/os/amzn2023/**',
      'packages/lambda/dispatch/**',
      'packages/lambda/stop/**',
      '**/*.zip',
      '**/__pycache__/**',
      '**/*.pyc',
    ]);
    expect(lint.inputs).toContain('{workspaceRoot}/packages/lava/**/*');
    expect(lint.inputs).toContain('!{workspaceRoot}/packages/lambda/stop/**/*');
    expect(lint.inputs).toContain('{workspaceRoot}/packages/docker/**/*');
    expect(lint.inputs).not.toContain('{workspaceRoot}/external-packages/**/*');
    expect(lint.inputs.slice(-1 - toolingInputs('lava-lint').length)).toEqual(['pythonTools', ...toolingInputs('lava-lint')]);
  });

  it('a Lambda or OS lint reads its own folder and the lava root configuration; an OS also the common scripts it sources', async () => {
    const p = await projects();
    const lambda = p['packages/lambda/stop'].targets.lint;
    expect(lambda.options).toEqual({ include: ['packages/lambda/stop/**'], exclude: ['**/*.zip', '**/__pycache__/**', '**/*.pyc'], configRoot: 'packages/lava' });
    expect(lambda.inputs).toEqual([
      '{projectRoot}/**/*',
      '!{projectRoot}/**/*.zip',
      '!{projectRoot}/**/__pycache__/**/*',
      '!{projectRoot}/**/*.pyc',
      ...['.flake8', 'pyproject.toml', '.yamllint.yaml', '.yamllint.yml', '.yamllint'].map((f) => `{workspaceRoot}/packages/lava/${f}`),
      'pythonTools',
      ...toolingInputs('lava-lint'),
    ]);
    expect(p['packages/docker/os/amzn2023'].targets.lint.inputs).toContain('{workspaceRoot}/packages/docker/common/**/*');
  });
});

describe('lava-checks plugin: test', () => {
  it("gives the lava root make test, cached on the tree's files, with a coverage configuration writing dist/test", async () => {
    const test = (await projects())['packages/lava'].targets.test;
    expect(test).toMatchObject({
      executor: './tools/executors:pytest',
      cache: true,
      outputs: ['{workspaceRoot}/dist/test'],
      options: { testDir: 'test', outputPath: 'dist/test' },
      configurations: { coverage: { coverage: true } },
    });
    expect(test.inputs).toEqual(['{projectRoot}/**/*', '!{projectRoot}/**/*.zip', '!{projectRoot}/**/__pycache__/**/*', '!{projectRoot}/**/*.pyc', 'pythonTools', ...toolingInputs('pytest')]);
  });
});

describe('lava-checks plugin: freeze', () => {
  it('adds an uncached freeze where a folder has requirements*.in (Lambdas for their runtime Python), nowhere else', async () => {
    const withIn = [...files, 'packages/lava/requirements-extra.in', 'packages/lambda/stop/requirements.in', 'packages/lava/lava/resources/x/requirements.in'];
    const results = await createNodesV2[1](withIn, {}, context as never);
    const p = Object.assign({}, ...results.map(([, r]) => r.projects ?? {}));
    expect(p['packages/lava'].targets.freeze).toMatchObject({
      executor: './tools/executors:freeze',
      cache: false,
      options: {},
      inputs: ['{projectRoot}/requirements*.in', '{projectRoot}/requirements*.txt', 'pythonTools'],
      configurations: { upgrade: { upgrade: true }, check: { check: true } },
    });
    expect(p['packages/lambda/stop'].targets.freeze.options).toEqual({ pythonVersion: '3.13' });
    expect(p['packages/lambda/dispatch'].targets.freeze).toBeUndefined();
    // A .in outside a project with lint makes no project of its own.
    expect(p['packages/lava/lava/resources/x']).toBeUndefined();
  });
});
