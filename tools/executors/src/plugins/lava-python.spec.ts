import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { machine, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodes, hostBundleParts } from './lava-python';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'lava-python-plugin-'));
  mkdirSync(join(root, 'packages/lava/lava'), { recursive: true });
  writeFileSync(join(root, 'packages/lava/lava/VERSION.json'), '{"__version_num__": "9.1.0", "__version_name__": "Etna"}');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const nodes = async () => {
  const [[, result]] = await createNodes[1](['packages/lava/lava/VERSION.json'], {}, { nxJsonConfiguration: {}, workspaceRoot: root });
  return result.projects!;
};

describe('lava-python plugin', () => {
  it('makes worker-bundle on the lava tree, jinlava and job-framework beside it', async () => {
    const projects = await nodes();
    expect(Object.keys(projects)).toEqual(['packages/lava', 'packages/lava/jinlava', 'packages/lava/job-framework']);
    expect(projects['packages/lava/job-framework'].name).toBe('job-framework');
    expect(projects['packages/lava'].name).toBe('worker-bundle');
    expect(projects['packages/lava/jinlava'].name).toBe('jinlava');
  });

  it('makes pkg an uncached front door to the cached host build pkg--host', async () => {
    const targets = (await nodes())['packages/lava'].targets!;
    expect(targets.pkg).toMatchObject({ executor: './tools/executors:run-variant', cache: false, options: { target: 'pkg--host' } });
    expect(targets.pkg.inputs).toEqual(targets['pkg--host'].inputs);
  });

  it('names the pkg output after the version and this host’s runtime and arch', async () => {
    const pkg = (await nodes())['packages/lava'].targets!['pkg--host'];
    const py = execFileSync('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])']).toString().trim();
    const { os } = hostBundleParts('python3');
    const arch = machine() === 'arm64' ? 'aarch64' : machine();
    expect(pkg.outputs).toEqual([`{workspaceRoot}/dist/pkg/${os}/lava-9.1.0-${os}-py${py}-${arch}.tar.bz2`]);
  });

  it('declares every input of the bundle, PIP_INDEX_URL included', async () => {
    const pkg = (await nodes())['packages/lava'].targets!['pkg--host'];
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
        'buildTooling',
        { env: 'PIP_INDEX_URL' },
        expect.objectContaining({ runtime: expect.stringContaining('uname -m') }),
      ]),
    );
    // Only what etc/pkg.sh packed: the rest of etc/ (the build's own scripts) is no input.
    expect(pkg.inputs!.filter((i) => typeof i === 'string' && i.includes('/etc/'))).toEqual([
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

  it('zips lava/resources for job-framework, with the etc/ and bin/ its links lead to as inputs', async () => {
    const build = (await nodes())['packages/lava/job-framework'].targets!.build;
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

  it('marks what it cannot tell about the host with * instead of failing the graph', () => {
    expect(hostBundleParts('python3-lava-missing').runtime).toMatch(/-py\*$/);
  });
});
