// The builder, foreign-bundle and lambda plugins on a builders folder holding names that
// are not runtimes (the real tree's `rocky9-p3.9`, and a name with no runtime in it at all):
// the graph is made, every builder is a project and every variant exists.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createNodes as builderNodes } from './builders';
import { createNodes as foreignNodes } from './foreign-bundles';
import { createNodes as lambdaNodes } from './lambdas';

const BUILDERS = ['amzn2023-py3.13', 'rocky9-p3.9', 'custom'];
/** Left out by default: below setup.py's python_requires. */
const OLD = 'amzn2023-py3.8';
let root: string;
const nxJsonConfiguration = { plugins: [{ plugin: './tools/executors/src/plugins/builders.ts', options: { buildersDir: 'etc/builders' } }] };

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'builders-plugin-'));
  mkdirSync(join(root, 'etc/builders'), { recursive: true });
  for (const b of [...BUILDERS, OLD]) writeFileSync(join(root, `etc/builders/${b}.Dockerfile`), 'FROM scratch\nARG PIP_INDEX_URL\n');
  mkdirSync(join(root, 'packages/lava/lava'), { recursive: true });
  writeFileSync(join(root, 'packages/lava/lava/VERSION.json'), '{"__version_num__": "8.2.0", "__version_name__": "Kilauea"}');
  mkdirSync(join(root, 'packages/lambda/dispatch'), { recursive: true });
  writeFileSync(join(root, 'packages/lambda/dispatch/requirements.txt'), 'jinja2==3.1.6\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const context = () => ({ nxJsonConfiguration, workspaceRoot: root });

describe('builders plugin', () => {
  it('makes builder-<file name> for every Dockerfile, runtime-named or not, but the left-out py3.8', async () => {
    const results = await builderNodes[1]([...BUILDERS, OLD].map((b) => `etc/builders/${b}.Dockerfile`), { buildersDir: 'etc/builders' }, context());
    const names = results.flatMap(([, r]) => Object.values(r.projects ?? {}).map((p) => p.name));
    expect(names.sort()).toEqual(['builder-amzn2023-py3.13', 'builder-custom', 'builder-rocky9-p3.9']);
    const rocky = results.flatMap(([, r]) => Object.values(r.projects ?? {})).find((p) => p.name === 'builder-rocky9-p3.9')!;
    expect(rocky.targets!.build.options).toMatchObject({ runtime: 'rocky9-p3.9', dockerfile: 'etc/builders/rocky9-p3.9.Dockerfile', expectedRuntime: 'rocky9-py3.9' });
  });

  it('tags the deprecated builders (rocky9 and py3.9 by default) and tells their build why', async () => {
    const results = await builderNodes[1](BUILDERS.map((b) => `etc/builders/${b}.Dockerfile`), { buildersDir: 'etc/builders' }, context());
    const projects = results.flatMap(([, r]) => Object.values(r.projects ?? {}));
    const deprecated = projects.filter((p) => p.tags?.includes('deprecated')).map((p) => p.name);
    expect(deprecated).toEqual(['builder-rocky9-p3.9']);
    const rocky = projects.find((p) => p.name === 'builder-rocky9-p3.9')!;
    expect(rocky.targets!.build.options.deprecated).toMatch(/Python 3\.9|Rocky/);
    expect(rocky.targets!.build.metadata?.description).toMatch(/^DEPRECATED/);
  });

  it('follows the nx.json lists instead of the defaults', async () => {
    const results = await builderNodes[1]([...BUILDERS, OLD].map((b) => `etc/builders/${b}.Dockerfile`), { buildersDir: 'etc/builders', deprecated: { custom: 'ours' }, exclude: {} }, context());
    const projects = results.flatMap(([, r]) => Object.values(r.projects ?? {}));
    expect(projects.map((p) => p.name)).toContain('builder-amzn2023-py3.8');
    expect(projects.filter((p) => p.tags?.includes('deprecated')).map((p) => p.name)).toEqual(['builder-custom']);
  });
});

describe('builders plugin on a file it cannot read', () => {
  it('skips it with one line naming it, and makes the others', async () => {
    symlinkSync('nowhere.Dockerfile', join(root, 'etc/builders/dangling.Dockerfile'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const files = ['amzn2023-py3.13', 'dangling'].map((b) => `etc/builders/${b}.Dockerfile`);
      const results = await builderNodes[1](files, { buildersDir: 'etc/builders' }, context());
      expect(results.flatMap(([, r]) => Object.values(r.projects ?? {}).map((p) => p.name))).toEqual(['builder-amzn2023-py3.13']);
      expect(warn).toHaveBeenCalledWith('⚠ builders: skipped etc/builders/dangling.Dockerfile: ENOENT');
      const [[, foreign]] = await foreignNodes[1](['packages/lava/lava/VERSION.json'], {}, context());
      expect(Object.keys(foreign.projects!['packages/lava'].targets!).filter((t) => t.includes('dangling'))).toEqual([]);
    } finally {
      warn.mockRestore();
      rmSync(join(root, 'etc/builders/dangling.Dockerfile'));
    }
  });
});

describe('foreign-bundles plugin', () => {
  const targets = async () => {
    const [[, result]] = await foreignNodes[1](['packages/lava/lava/VERSION.json'], {}, context());
    return result.projects!['packages/lava'].targets!;
  };

  it('makes pkg--<file name>-<arch> for every builder, reading the builders folder from the builders plugin entry', async () => {
    const names = Object.keys(await targets()).filter((t) => t.startsWith('pkg--')).sort();
    expect(names).toEqual(BUILDERS.flatMap((b) => [`pkg--${b}-amd64`, `pkg--${b}-arm64`]).sort());
    expect(names.some((n) => n.includes('py3.8'))).toBe(false);
  });

  it('names rocky9-p3.9’s bundle after the runtime it reads as, and answers to that spelling too', async () => {
    const t = await targets();
    expect(t['pkg--rocky9-p3.9-arm64'].outputs).toEqual(['{workspaceRoot}/dist/pkg/rocky9/lava-8.2.0-rocky9-py3.9-aarch64.tar.bz2']);
    expect(t['pkg--rocky9-p3.9-arm64'].options).toMatchObject({ runtime: 'rocky9-p3.9', expectedRuntime: 'rocky9-py3.9' });
    expect(t['pkg--rocky9-p3.9-arm64'].dependsOn).toContainEqual({ projects: ['builder-rocky9-p3.9'], target: 'build' });
    expect(t.pkg.configurations).toMatchObject({
      'rocky9-p3.9-arm64': { target: 'pkg--rocky9-p3.9-arm64' },
      'rocky9-py3.9-arm64': { target: 'pkg--rocky9-p3.9-arm64' },
      'amzn2023-py3.13-amd64': { target: 'pkg--amzn2023-py3.13-amd64' },
    });
  });

  it('leaves a name with no runtime in it to its container: a glob of its own, no expected runtime', async () => {
    const t = await targets();
    expect(t['pkg--custom-amd64'].outputs).toEqual(['{workspaceRoot}/dist/pkg/custom/lava-8.2.0-*-x86_64.tar.bz2']);
    expect(t['pkg--custom-amd64'].options).not.toHaveProperty('expectedRuntime');
  });
});

describe('lambdas plugin', () => {
  it('still makes the lambda project beside builders that are not runtimes, with its builder edge', async () => {
    const [[, result]] = await lambdaNodes[1](['packages/lambda/dispatch/requirements.txt'], {}, context());
    expect(result.projects!['packages/lambda/dispatch'].name).toBe('lambda-dispatch');
    expect(result.projects!['packages/lambda/dispatch'].implicitDependencies).toEqual(['builder-amzn2023-py3.13']);
  });

  it('makes no edge to a builder that is not there (the graph stands; the build says what is missing)', async () => {
    const [[, result]] = await lambdaNodes[1](['packages/lambda/dispatch/requirements.txt'], { runtime: 'amzn2023-py3.14' }, context());
    const project = result.projects!['packages/lambda/dispatch'];
    expect(project.implicitDependencies).toEqual([]);
    expect(project.targets!.build.dependsOn).toEqual([expect.objectContaining({ projects: ['registry'] })]);
  });
});
