// The builders plugin on a real builders folder holding names that are not runtimes (the real
// tree's `rocky9-p3.9`, and a name with no runtime in it at all): every builder is a project.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../testing/temp-dir';
import { createNodes } from './builders';
import { toolingInputs } from './shared';

const BUILDERS = ['amzn2023-py3.13', 'rocky9-p3.9', 'custom'];
/** Left out by default: below setup.py's python_requires. */
const OLD = 'amzn2023-py3.8';
let root: string;

beforeAll(() => {
  root = tempDir('builders-plugin-');
  mkdirSync(join(root, 'etc/builders/custom'), { recursive: true });
  for (const b of [...BUILDERS, OLD]) writeFileSync(join(root, `etc/builders/${b}.Dockerfile`), 'FROM scratch\nARG PIP_INDEX_URL\n');
  writeFileSync(join(root, 'etc/builders/elsewhere.txt'), '');
});

const context = () => ({ nxJsonConfiguration: {}, workspaceRoot: root });
const files = (...names: string[]) => names.map((b) => `etc/builders/${b}.Dockerfile`);
async function projects(names: string[], options: object = { buildersDir: 'etc/builders' }) {
  const results = await createNodes[1](files(...names), options, context());
  return results.flatMap(([, r]) => Object.values(r.projects ?? {}));
}

describe('builders plugin', () => {
  it('makes builder-<file name> for every Dockerfile, runtime-named or not, but the left-out py3.8', async () => {
    const all = await projects([...BUILDERS, OLD]);
    expect(all.map((p) => p.name).sort()).toEqual(['builder-amzn2023-py3.13', 'builder-custom', 'builder-rocky9-p3.9']);
    const rocky = all.find((p) => p.name === 'builder-rocky9-p3.9')!;
    expect(rocky.targets!.build.options).toMatchObject({ runtime: 'rocky9-p3.9', dockerfile: 'etc/builders/rocky9-p3.9.Dockerfile', expectedRuntime: 'rocky9-py3.9' });
  });

  it('gives each builder a virtual root of its own and inputs spelt from the workspace root, with no `^`', async () => {
    const [custom] = await projects(['custom']);
    expect(custom).toMatchObject({ root: 'etc/builders/custom', implicitDependencies: ['registry'], tags: ['type:builder'] });
    const build = custom.targets!.build;
    expect(build).toMatchObject({
      executor: './tools/executors:builder-image',
      cache: true,
      dependsOn: [{ projects: ['registry'], target: 'serve', waitFor: 'ready' }],
      outputs: ['{workspaceRoot}/dist/builders/custom'],
      options: { runtime: 'custom', dockerfile: 'etc/builders/custom.Dockerfile', context: 'etc/builders' },
    });
    expect(build.inputs).toEqual([
      '{workspaceRoot}/etc/builders/custom.Dockerfile',
      '{workspaceRoot}/etc/builders/custom/**/*',
      '{workspaceRoot}/etc/builders/common/**/*',
      { env: 'PIP_INDEX_URL' },
      ...toolingInputs('builder-image'),
    ]);
    expect(build.options).not.toHaveProperty('expectedRuntime');
    expect(build.metadata?.help).toEqual({ command: 'npx nx run builder-custom:build', example: {} });
  });

  it('makes nothing of a Dockerfile outside its builders folder', async () => {
    const results = await createNodes[1](['docker/app.Dockerfile', ...files('custom')], { buildersDir: 'etc/builders' }, context());
    expect(results.map(([file]) => file)).toEqual(['etc/builders/custom.Dockerfile']);
  });

  it('takes the builders folder with a trailing slash as the same folder', async () => {
    const all = await projects(['custom'], { buildersDir: 'etc/builders/' });
    expect(all.map((p) => [p.name, p.root])).toEqual([['builder-custom', 'etc/builders/custom']]);
  });

  it('tags the deprecated builders (rocky9 and py3.9 by default) and tells their build why', async () => {
    const all = await projects(BUILDERS);
    expect(all.filter((p) => p.tags?.includes('deprecated')).map((p) => p.name)).toEqual(['builder-rocky9-p3.9']);
    const rocky = all.find((p) => p.name === 'builder-rocky9-p3.9')!;
    expect(rocky.targets!.build.options.deprecated).toMatch(/Python 3\.9|Rocky/);
    expect(rocky.targets!.build.metadata?.description).toMatch(/^DEPRECATED/);
  });

  it('follows the nx.json lists instead of the defaults', async () => {
    const all = await projects([...BUILDERS, OLD], { buildersDir: 'etc/builders', deprecated: { custom: 'ours' }, exclude: {} });
    expect(all.map((p) => p.name)).toContain('builder-amzn2023-py3.8');
    expect(all.filter((p) => p.tags?.includes('deprecated')).map((p) => p.name)).toEqual(['builder-custom']);
  });

  it('pushes under the repository its options name', async () => {
    const [custom] = await projects(['custom'], { buildersDir: 'etc/builders', repository: 'test/ns' });
    expect(custom.targets!.build.options.repository).toBe('test/ns');
    expect(custom.targets!.build.metadata?.description).toContain('localhost:5001/test/ns/custom:latest');
  });

  it('refuses an option it does not know, naming it', async () => {
    expect(() => createNodes[1](files('custom'), { buildTargetName: 'image' } as never, context())).toThrow(/unknown option "buildTargetName"/);
  });
});

describe('builders plugin on a file it cannot read', () => {
  it('skips it with one line naming it, and makes the others', async () => {
    symlinkSync('nowhere.Dockerfile', join(root, 'etc/builders/dangling.Dockerfile'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const all = await projects(['amzn2023-py3.13', 'dangling']);
      expect(all.map((p) => p.name)).toEqual(['builder-amzn2023-py3.13']);
      expect(warn).toHaveBeenCalledWith('⚠ builders: skipped etc/builders/dangling.Dockerfile: ENOENT');
    } finally {
      warn.mockRestore();
      rmSync(join(root, 'etc/builders/dangling.Dockerfile'));
    }
  });
});
