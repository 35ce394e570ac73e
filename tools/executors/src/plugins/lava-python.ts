// The Python artefacts of the lava tree (the folder holding the version file,
// lava/VERSION.json, as the real lava's root does): `worker-bundle` (pkg, the
// host bundle) owns the folder; `jinlava` (build, the sdist) and
// `job-framework` (build, the zip of lava/resources/cookiecutter) get virtual
// roots inside it. A virtual root owns no file, so every file stays in
// worker-bundle's `{projectRoot}` inputs; the others name theirs from the
// workspace root, and affected selects them by those inputs. Only the build's one version file counts: a copy of the lava
// package elsewhere must not make a second worker-bundle. They are
// inferred rather than declared because their outputs are named after the
// host's runtime and arch and the version, known only when the graph is made.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CreateNodes, TargetConfiguration } from '@nx/devkit';
// nx's own function, without loading all of @nx/devkit at graph time.
import { createNodesFromFiles } from 'nx/src/project-graph/plugins/utils';
import { bundleInputs, bundlePath } from '../lib/python/bundle';
import { BUILD_CONSTRAINTS_FILE } from '../lib/python/pip';
import { hostOs, hostPlatform } from '../lib/python/host-runtime';
import { runtimeName } from '../lib/python/runtime';
import { cachedPythonVersion } from '../lib/python/interpreter';
import { parseVersion, VERSION_FILE } from '../lib/workspace/version';

export interface LavaPythonPluginOptions {
  pkgTargetName?: string;
  sdistTargetName?: string;
  frameworkTargetName?: string;
  /** The interpreter host bundles are built with (its X.Y is the runtime's). */
  python?: string;
}

const EXECUTORS = './tools/executors';

/** pip's inputs beyond PIP_INDEX_URL: the host, the interpreter, and pip's own config (hashed: it may hold credentials). */
const HOST_AND_PIP_CONFIG =
  // The interpreter by its resolved path and mtime (what its version follows), without starting it.
  '. /etc/os-release; echo "$ID$VERSION_ID"; uname -m; p=$(readlink -f "$(command -v python3)"); echo "$p"; stat -c %Y "$p"; ' +
  // A pyenv shim picks its interpreter by these.
  'echo "${PYENV_VERSION:-}"; cat .python-version "${PYENV_ROOT:-$HOME/.pyenv}/version" 2>/dev/null; ' +
  'cat /etc/pip.conf /etc/xdg/pip/pip.conf "$HOME/.config/pip/pip.conf" "$HOME/.pip/pip.conf" "${PIP_CONFIG_FILE:-/dev/null}" 2>/dev/null | sha256sum';

const PIP_ENV = ['PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL', 'PIP_FIND_LINKS', 'PIP_NO_INDEX', 'PIP_CONFIG_FILE'].map((env) => ({ env }));

export const createNodes: CreateNodes<LavaPythonPluginOptions> = [
  VERSION_FILE,
  (files, options, context) =>
    createNodesFromFiles(
      (file, opts) => {
        const root = dirname(dirname(file));
        const version = parseVersion(readFileSync(join(context.workspaceRoot, file), 'utf8'), file).num;
        const o = opts ?? {};
        return {
          projects: {
            [root]: {
              name: 'worker-bundle',
              root,
              projectType: 'application',
              tags: ['type:python'],
              targets: pkgTargets(o.pkgTargetName ?? 'pkg', pkgTarget(root, version, o.python ?? 'python3', context.workspaceRoot)),
            },
            [`${root}/jinlava`]: {
              name: 'jinlava',
              root: `${root}/jinlava`,
              projectType: 'library',
              tags: ['type:python'],
              targets: { [o.sdistTargetName ?? 'build']: sdistTarget(root, version) },
            },
            [`${root}/job-framework`]: {
              name: 'job-framework',
              root: `${root}/job-framework`,
              projectType: 'library',
              tags: ['type:python'],
              targets: { [o.frameworkTargetName ?? 'build']: frameworkTarget(root, version) },
            },
          },
        };
      },
      files,
      options ?? {},
      context,
    ),
];

export const createNodesV2 = createNodes;

/** The host's runtime and arch, or `*` for a part that cannot be told (the executor then says why). */
export function hostBundleParts(python: string, workspaceRoot = process.cwd()): { os: string; runtime: string; arch: string } {
  const attempt = <T>(f: () => T): T | '*' => {
    try {
      return f();
    } catch {
      return '*';
    }
  };
  const os = attempt(() => hostOs());
  // Asked once per interpreter (its path and mtime): no process when the graph is made again.
  const py = attempt(() => cachedPythonVersion(python, workspaceRoot));
  const arch = attempt(() => hostPlatform().arch);
  return { os, runtime: runtimeName(os, py), arch };
}

/**
 * The host build is the cached `<pkg>--host`; `<pkg>` is the uncached front door that runs it,
 * or with `--configuration=<runtime>-<arch>` the foreign variant (tools/executors/README.md, "The pkg front door"):
 * a configuration cannot change a target's inputs, so the front door itself must not be cached.
 */
function pkgTargets(pkg: string, host: TargetConfiguration): Record<string, TargetConfiguration> {
  const front: TargetConfiguration = {
    executor: `${EXECUTORS}:run-variant`,
    cache: false,
    inputs: host.inputs,
    options: { target: `${pkg}--host` },
    metadata: {
      technologies: ['python'],
      description: `The worker bundle: this host's (${pkg}--host), or with --configuration=<runtime>-<amd64|arm64> a foreign one (make pkg)`,
      help: { command: `npx nx run worker-bundle:${pkg} --configuration=amzn2023-py3.13-arm64`, example: {} },
    },
  };
  return { [pkg]: front, [`${pkg}--host`]: host };
}

function pkgTarget(root: string, version: string, python: string, workspaceRoot: string): TargetConfiguration {
  const host = hostBundleParts(python, workspaceRoot);
  const output = bundlePath({ version, ...host });
  return {
    executor: `${EXECUTORS}:worker-bundle`,
    cache: true,
    // pip (pinned in the workspace environment) runs the install for the host's python3.
    dependsOn: [{ projects: ['python-env'], target: 'init' }],
    inputs: [
      // What make's etc/pkg.sh packed, and nothing else of the tree.
      ...bundleInputs('{projectRoot}'),
      '!{projectRoot}/**/__pycache__/**',
      '!{projectRoot}/**/*.pyc',
      `{workspaceRoot}/${BUILD_CONSTRAINTS_FILE}`,
      'version',
      'pythonTools',
      'buildTooling',
      ...PIP_ENV,
      { runtime: HOST_AND_PIP_CONFIG },
    ],
    outputs: [`{workspaceRoot}/${output}`],
    options: { python },
    metadata: {
      technologies: ['python'],
      description: `The worker bundle for this host: ${output} (make pkg)`,
      help: { command: `npx nx run worker-bundle:pkg--host`, example: {} },
    },
  };
}

function sdistTarget(root: string, version: string): TargetConfiguration {
  const sources = ['lava/**/*', 'bin/**/*', 'setup.py', 'pyproject.toml', 'MANIFEST.in', '*.md', 'LICENCE.txt', 'requirements.txt', 'requirements-extra.txt'];
  return {
    executor: `${EXECUTORS}:sdist`,
    cache: true,
    dependsOn: [{ projects: ['python-env'], target: 'init' }],
    inputs: [
      ...sources.map((p) => `{workspaceRoot}/${root}/${p}`),
      `!{workspaceRoot}/${root}/**/__pycache__/**`,
      `!{workspaceRoot}/${root}/**/*.pyc`,
      'version',
      'pythonTools',
      'buildTooling',
      { env: 'SOURCE_DATE_EPOCH' },
    ],
    outputs: [`{workspaceRoot}/dist/jinlava/jinlava-${version}.tar.gz`],
    options: { sourceDir: root, outputPath: 'dist/jinlava' },
    metadata: {
      technologies: ['python'],
      description: `The jinlava sdist: dist/jinlava/jinlava-${version}.tar.gz, importable as lava (make jinlava)`,
      help: { command: 'npx nx run jinlava:build', example: {} },
    },
  };
}

/**
 * The job framework (make tools): lava/resources zipped. The template's links
 * point out of lava/ into the tree's etc/ and bin/ (as the real template's do),
 * and the zip stores what they point to, so those folders are inputs too; the
 * executor refuses a link leading anywhere else.
 */
function frameworkTarget(root: string, version: string): TargetConfiguration {
  const resources = `${root}/lava/resources`;
  const linkRoots = [`${root}/etc`, `${root}/bin`];
  return {
    executor: `${EXECUTORS}:job-framework`,
    cache: true,
    inputs: [
      ...[resources, ...linkRoots].map((dir) => `{workspaceRoot}/${dir}/**/*`),
      `!{workspaceRoot}/${resources}/**/__pycache__/**`,
      `!{workspaceRoot}/${resources}/**/*.pyc`,
      'version',
      'buildTooling',
      { env: 'SOURCE_DATE_EPOCH' },
    ],
    outputs: [`{workspaceRoot}/dist/dev-tools/lava-job-framework-${version}.zip`],
    options: { resourcesDir: resources, linkRoots, outputPath: 'dist/dev-tools' },
    metadata: {
      technologies: ['python', 'cookiecutter'],
      description: `The job-framework cookiecutter template (${resources}/cookiecutter) as dist/dev-tools/lava-job-framework-${version}.zip, plus etc/version (make tools)`,
      help: { command: 'npx nx run job-framework:build', example: {} },
    },
  };
}
