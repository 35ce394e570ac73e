// The worker-bundle plugin on a real tree: the version file and a builders folder holding names
// that are not runtimes (the real tree's `rocky9-p3.9`, and a name with no runtime in it at all).
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { machine } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../testing/temp-dir';
import { createNodes, HOST_AND_PIP_CONFIG, hostBundleParts } from './worker-bundle';
import { toolingInputs } from './shared';

const BUILDERS = ['amzn2023-py3.13', 'rocky9-p3.9', 'custom'];
/** Left out by default: below setup.py's python_requires. */
const OLD = 'amzn2023-py3.8';
const nxJsonConfiguration = { plugins: [{ plugin: './tools/executors/src/plugins/builders.ts', options: { buildersDir: 'etc/builders' } }] };
let root: string;

beforeAll(() => {
  root = tempDir('worker-bundle-plugin-');
  mkdirSync(join(root, 'etc/builders'), { recursive: true });
  for (const b of [...BUILDERS, OLD]) writeFileSync(join(root, `etc/builders/${b}.Dockerfile`), 'FROM scratch\nARG PIP_INDEX_URL\n');
  mkdirSync(join(root, 'packages/lava/lava'), { recursive: true });
  writeFileSync(join(root, 'packages/lava/lava/VERSION.json'), '{"__version_num__": "9.1.0", "__version_name__": "Etna"}');
});

const nodes = async (nxJson: object = nxJsonConfiguration) => {
  const [[, result]] = await createNodes[1](['packages/lava/lava/VERSION.json'], {}, { nxJsonConfiguration: nxJson, workspaceRoot: root });
  return result.projects!;
};
const targets = async () => (await nodes())['packages/lava'].targets!;

describe('worker-bundle plugin', () => {
  it('makes worker-bundle on the lava tree and jinlava beside it', async () => {
    const projects = await nodes();
    expect(Object.keys(projects)).toEqual(['packages/lava', 'packages/lava/jinlava']);
    expect(projects['packages/lava'].name).toBe('worker-bundle');
    expect(projects['packages/lava/jinlava'].name).toBe('jinlava');
  });

  it('makes pkg an uncached front door to the cached host build pkg--host', async () => {
    const t = await targets();
    expect(t.pkg).toMatchObject({ executor: './tools/executors:run-variant', cache: false, options: { target: 'pkg--host' } });
    expect(t.pkg.inputs).toEqual(t['pkg--host'].inputs);
  });

  it('names the pkg output after the version and this host’s runtime and arch', async () => {
    const pkg = (await targets())['pkg--host'];
    const py = execFileSync('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])']).toString().trim();
    const { os } = hostBundleParts('python3');
    const arch = machine() === 'arm64' ? 'aarch64' : machine();
    expect(pkg.outputs).toEqual([`{workspaceRoot}/dist/pkg/${os}/lava-9.1.0-${os}-py${py}-${arch}.tar.bz2`]);
  });

  it('declares every input of the bundle, PIP_INDEX_URL included', async () => {
    const pkg = (await targets())['pkg--host'];
    expect(pkg.cache).toBe(true);
    expect(pkg.inputs).toEqual(
      expect.arrayContaining([
        '{projectRoot}/lava/**/*',
        '{projectRoot}/bin/**/*',
        '{projectRoot}/install.sh',
        '{projectRoot}/lava-*',
        '{projectRoot}/requirements*.txt',
        '{projectRoot}/etc/jinja',
        '{projectRoot}/etc/dyn-put-item',
        '{projectRoot}/etc/yaml2json',
        '{workspaceRoot}/tools/python/build-constraints.txt',
        'version',
        'pythonTools',
        ...toolingInputs('worker-bundle'),
        { env: 'PIP_INDEX_URL' },
        { runtime: HOST_AND_PIP_CONFIG },
      ]),
    );
    // Only what etc/pkg.sh packed: the rest of etc/ (the build's own scripts) is no input.
    expect(pkg.inputs!.filter((i: unknown) => typeof i === 'string' && i.includes('/etc/'))).toEqual([
      '{projectRoot}/etc/jinja',
      '{projectRoot}/etc/dyn-put-item',
      '{projectRoot}/etc/yaml2json',
    ]);
    expect(pkg.dependsOn).toEqual([{ projects: ['python-env'], target: 'init' }]);
  });

  it('gives jinlava its versioned sdist output and the Python tools as inputs', async () => {
    const build = (await nodes())['packages/lava/jinlava'].targets!.build;
    expect(build.outputs).toEqual(['{workspaceRoot}/dist/jinlava/jinlava-9.1.0.tar.gz']);
    expect(build.inputs).toEqual(expect.arrayContaining(['{workspaceRoot}/packages/lava/setup.py', 'pythonTools', 'version', { env: 'SOURCE_DATE_EPOCH' }]));
    expect(build.dependsOn).toEqual([{ projects: ['python-env'], target: 'init' }]);
  });

  it("keys the host bundle on the host, python3's file and pip's config (hashed), and on nothing else that moves", () => {
    const home = tempDir('worker-bundle-host-');
    const bin = join(home, 'bin');
    mkdirSync(bin);
    writeFileSync(join(home, 'python-a'), '#!/bin/sh\n');
    chmodSync(join(home, 'python-a'), 0o755);
    copyFileSync(join(home, 'python-a'), join(home, 'python-b'));
    symlinkSync(join(home, 'python-a'), join(bin, 'python3'));
    const env = { PATH: `${bin}:/usr/bin:/bin`, HOME: home, PYENV_ROOT: join(home, 'pyenv') };
    const key = () => execFileSync('sh', ['-c', HOST_AND_PIP_CONFIG], { cwd: home, env }).toString();
    const first = key();
    expect(first).toContain(`${machine()}\n`);
    expect(key()).toBe(first);
    mkdirSync(join(home, '.config/pip'), { recursive: true });
    writeFileSync(join(home, '.config/pip/pip.conf'), '[global]\nindex-url = https://user:s3cr3t@host.invalid/simple\n');
    const withConfig = key();
    expect(withConfig).not.toBe(first);
    expect(withConfig).not.toContain('s3cr3t');
    rmSync(join(bin, 'python3'));
    symlinkSync(join(home, 'python-b'), join(bin, 'python3'));
    expect(key()).not.toBe(withConfig);
  });

  it('marks what it cannot tell about the host with * instead of failing the graph', () => {
    expect(hostBundleParts('python3-lava-missing').runtime).toMatch(/-py\*$/);
  });

  it('makes no second worker-bundle of a lava package elsewhere: only the build’s version file counts', async () => {
    expect(createNodes[0]).toBe('packages/lava/lava/VERSION.json');
  });
});

describe('worker-bundle plugin: foreign variants', () => {
  it('makes pkg--<file name>-<arch> for every builder, reading the builders folder from the builders plugin entry', async () => {
    const names = Object.keys(await targets()).filter((t) => t.startsWith('pkg--') && t !== 'pkg--host').sort();
    expect(names).toEqual(BUILDERS.flatMap((b) => [`pkg--${b}-amd64`, `pkg--${b}-arm64`]).sort());
    expect(names.some((n) => n.includes('py3.8'))).toBe(false);
  });

  it('builds a variant in its own builder only, and rebuilds it on that builder’s new digest', async () => {
    const variant = (await targets())['pkg--amzn2023-py3.13-amd64'];
    expect(variant).toMatchObject({
      executor: './tools/executors:foreign-bundle',
      cache: true,
      dependsOn: [{ projects: ['builder-amzn2023-py3.13'], target: 'build' }, { projects: ['registry'], target: 'serve', waitFor: 'ready' }],
      outputs: ['{workspaceRoot}/dist/pkg/amzn2023/lava-9.1.0-amzn2023-py3.13-x86_64.tar.bz2'],
      options: { runtime: 'amzn2023-py3.13', expectedRuntime: 'amzn2023-py3.13', platform: 'linux/amd64', sourceDir: 'packages/lava' },
    });
    expect(variant.inputs).toEqual(
      expect.arrayContaining([
        '{workspaceRoot}/packages/lava/lava/**/*',
        '!{workspaceRoot}/packages/lava/**/*.pyc',
        ...toolingInputs('foreign-bundle'),
        { dependentTasksOutputFiles: '**/image.digest', transitive: false },
        { env: 'PIP_EXTRA_INDEX_URL' },
        { env: 'SOURCE_DATE_EPOCH' },
      ]),
    );
    expect(variant.inputs!.some((i: unknown) => typeof i === 'string' && i.startsWith('^'))).toBe(false);
  });

  it('names rocky9-p3.9’s bundle after the runtime it reads as, and answers to that spelling too', async () => {
    const t = await targets();
    expect(t['pkg--rocky9-p3.9-arm64'].outputs).toEqual(['{workspaceRoot}/dist/pkg/rocky9/lava-9.1.0-rocky9-py3.9-aarch64.tar.bz2']);
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
    expect(t['pkg--custom-amd64'].outputs).toEqual(['{workspaceRoot}/dist/pkg/custom/lava-9.1.0-*-x86_64.tar.bz2']);
    expect(t['pkg--custom-amd64'].options).not.toHaveProperty('expectedRuntime');
  });

  it('gives no alias to a runtime two builders read as: each is named by its container', async () => {
    const projects = await nodes({ plugins: [{ plugin: './tools/executors/plugins/builders.js', options: { buildersDir: 'etc/builders', runtimes: { custom: 'rocky9-py3.9' } } }] });
    const t = projects['packages/lava'].targets!;
    expect(Object.keys(t.pkg.configurations!).filter((c) => c.startsWith('rocky9-py3.9'))).toEqual([]);
    expect(t['pkg--custom-amd64'].options).not.toHaveProperty('expectedRuntime');
  });

  it('makes no variant of a builder whose file it cannot read', async () => {
    symlinkSync('nowhere.Dockerfile', join(root, 'etc/builders/dangling.Dockerfile'));
    try {
      expect(Object.keys(await targets()).filter((t) => t.includes('dangling'))).toEqual([]);
    } finally {
      rmSync(join(root, 'etc/builders/dangling.Dockerfile'));
    }
  });

  it('has only the host build where there are no builders', async () => {
    const t = (await nodes({ plugins: [{ plugin: './tools/executors/plugins/builders.js', options: { buildersDir: 'no/builders' } }] }))['packages/lava'].targets!;
    expect(Object.keys(t).sort()).toEqual(['pkg', 'pkg--host']);
    expect(t.pkg.configurations).toEqual({});
  });

  it('names a builder whose configured runtime is wrong by its container, saying so in one line', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const projects = await nodes({ plugins: [{ plugin: './tools/executors/plugins/builders.js', options: { buildersDir: 'etc/builders', runtimes: { custom: 'not-a-runtime' } } }] });
      expect(projects['packages/lava'].targets!['pkg--custom-arm64'].options).not.toHaveProperty('expectedRuntime');
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^⚠ builder custom: .*; its bundles are named after the runtime its container reports$/));
    } finally {
      warn.mockRestore();
    }
  });
});
