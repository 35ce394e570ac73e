// The lava tree's worker bundle and sdist, from the build's one version file (a copy of the
// lava package elsewhere must not make a second worker-bundle). `worker-bundle` owns the folder
// holding lava/VERSION.json: `pkg--host`, this host's bundle; one `pkg--<builder>-<amd64|arm64>`
// per builder and platform, built in that builder; and `pkg`, the uncached front door that runs
// the host build or, with `--configuration=<builder or runtime>-<arch>`, a variant
// (tools/executors/README.md, "The pkg front door"). `jinlava` (the sdist) has a virtual root
// inside it and names its inputs from the workspace root. They are inferred rather than declared
// because their outputs are named after the host's runtime and arch, the builders and the version,
// known only when the graph is made.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TargetConfiguration } from '@nx/devkit';
import { expectedRuntime, REGISTRY_READY, variantBundle } from '../lib/docker/builders';
import { bundleInputs } from '../lib/python/bundle';
import { bundlePath } from '../lib/python/bundle-name';
import { BUILD_CONSTRAINTS_FILE } from '../lib/python/pip';
import { PLATFORMS } from '../lib/core/platform';
import { hostOs, hostPlatform } from '../lib/python/host-runtime';
import { runtimeName, type Runtime } from '../lib/python/runtime';
import { cachedPythonVersion } from '../lib/python/interpreter';
import { builderProject, nxRun } from '../lib/workspace/project-names';
import { parseVersion, VERSION_FILE } from '../lib/workspace/version';
import {
  BUILDER_DIGEST_INPUT,
  builderBuild,
  bytecodeExcludes,
  envInputs,
  executor,
  graphBuilders,
  inferProjects,
  inferred,
  PIP_INPUTS,
  PYTHON_ENV_INIT,
  targetMetadata,
  toolingInputs,
} from './shared';

export interface WorkerBundlePluginOptions {
  /** The interpreter host bundles are built with (its X.Y is the runtime's). */
  python?: string;
}

/**
 * The host and pip's own config, hashed (it may hold credentials), beside pip's variables. Run by
 * the shell on every hash of the task, so spelt with builtins where one will do (3 processes, where
 * `$(…)` for each part started 9).
 */
export const HOST_AND_PIP_CONFIG = [
  '. /etc/os-release; echo "$ID$VERSION_ID"',
  'read -r m 2>/dev/null </proc/sys/kernel/arch || m=$(uname -m); echo "$m"',
  // The file `command -v python3` names, by its identity and mtime (what its version follows), without starting it.
  'p=; IFS=:; for d in $PATH; do if [ -f "${d:-.}/python3" ] && [ -x "${d:-.}/python3" ]; then p=${d:-.}/python3; break; fi; done; unset IFS',
  'stat -L -c "%d:%i %Y" "$p" 2>/dev/null',
  // A pyenv shim picks its interpreter by these; then pip's config files.
  'echo "${PYENV_VERSION:-}"',
  'cat .python-version "${PYENV_ROOT:-$HOME/.pyenv}/version" /etc/pip.conf /etc/xdg/pip/pip.conf "$HOME/.config/pip/pip.conf" "$HOME/.pip/pip.conf" "${PIP_CONFIG_FILE:-/dev/null}" 2>/dev/null | sha256sum',
].join('; ');

export const createNodesV2 = inferProjects<WorkerBundlePluginOptions>({
  name: 'worker-bundle',
  glob: VERSION_FILE,
  options: { python: 'string' },
  infer: (_files, options, context) => {
    const { options: buildersOptions, builders } = graphBuilders(context);
    const runtimes = uniqueRuntimes(builders, buildersOptions.runtimes);
    return {
      nodes: (file) => {
        const root = dirname(dirname(file));
        const version = parseVersion(readFileSync(join(context.workspaceRoot, file), 'utf8'), file).num;
        const host = hostTarget(version, options.python ?? 'python3', context.workspaceRoot);
        const targets: Record<string, TargetConfiguration> = { 'pkg--host': host };
        // Each variant answers to its builder's name and, where it differs, its runtime's.
        const configurations: Record<string, { target: string }> = {};
        for (const builder of builders) {
          const runtime = runtimes.get(builder);
          const alias = runtime && runtime.name !== builder ? runtime.name : undefined;
          for (const { short } of PLATFORMS) {
            const variant = `pkg--${builder}-${short}`;
            targets[variant] = variantTarget(root, builder, runtime, short, version);
            configurations[`${builder}-${short}`] = { target: variant };
            if (alias) configurations[`${alias}-${short}`] = { target: variant };
          }
        }
        return inferred(
          { name: 'worker-bundle', root, projectType: 'application', tags: ['type:python'], targets: { pkg: frontDoor(host, configurations), ...targets } },
          { name: 'jinlava', root: `${root}/jinlava`, projectType: 'library', tags: ['type:python'], targets: { build: sdistTarget(root, version) } },
        );
      },
    };
  },
});

export const createNodes = createNodesV2;

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
 * Each builder's runtime where it is known before the build and no other builder reads
 * as the same one (two builders can never write the same bundle, and an alias must be
 * unambiguous); the others are named by what their container reports.
 */
export function uniqueRuntimes(builders: readonly string[], configured: Record<string, string> | undefined): Map<string, Runtime | undefined> {
  const read = new Map(builders.map((b) => [b, safeExpectedRuntime(b, configured)]));
  const count = new Map<string, number>();
  for (const runtime of read.values()) if (runtime) count.set(runtime.name, (count.get(runtime.name) ?? 0) + 1);
  // A builder named exactly as the runtime keeps it; the others reading as it are named by their container.
  const keeps = (b: string, runtime: Runtime) => b === runtime.name || (count.get(runtime.name) === 1 && !builders.includes(runtime.name));
  return new Map([...read].map(([b, runtime]) => [b, runtime && keeps(b, runtime) ? runtime : undefined]));
}

/** A misconfigured runtime must not fail the graph: the variant then waits for the container's word. */
function safeExpectedRuntime(builder: string, configured: Record<string, string> | undefined): Runtime | undefined {
  try {
    return expectedRuntime(builder, configured);
  } catch (error) {
    console.warn(`⚠ builder ${builder}: ${(error as Error).message}; its bundles are named after the runtime its container reports`);
    return undefined;
  }
}

/** The bundle a foreign build writes (a glob when only the container can name it). */
export function foreignBundlePath(builder: string, runtime: Runtime | undefined, short: 'amd64' | 'arm64', version: string): string {
  const platform = PLATFORMS.find((p) => p.short === short)!;
  return variantBundle(builder, runtime, platform.arch, version).declared;
}

/**
 * `pkg`: uncached, since a configuration cannot change a target's inputs; it runs `pkg--host`,
 * or the variant its configuration names.
 */
function frontDoor(host: TargetConfiguration, configurations: Record<string, { target: string }>): TargetConfiguration {
  return {
    executor: executor('run-variant'),
    cache: false,
    inputs: host.inputs,
    options: { target: 'pkg--host' },
    configurations,
    metadata: targetMetadata(
      ['python'],
      "The worker bundle: this host's (pkg--host), or with --configuration=<runtime>-<amd64|arm64> a foreign one (make pkg)",
      `${nxRun('worker-bundle', 'pkg')} --configuration=amzn2023-py3.13-arm64`,
    ),
  };
}

function hostTarget(version: string, python: string, workspaceRoot: string): TargetConfiguration {
  const output = bundlePath({ version, ...hostBundleParts(python, workspaceRoot) });
  return {
    executor: executor('worker-bundle'),
    cache: true,
    // pip (pinned in the workspace environment) runs the install for the host's python3.
    dependsOn: [PYTHON_ENV_INIT],
    inputs: [
      // What make's etc/pkg.sh packed, and nothing else of the tree.
      ...bundleInputs('{projectRoot}'),
      ...bytecodeExcludes('{projectRoot}'),
      `{workspaceRoot}/${BUILD_CONSTRAINTS_FILE}`,
      'version',
      'pythonTools',
      ...toolingInputs('worker-bundle'),
      ...PIP_INPUTS.host,
      { runtime: HOST_AND_PIP_CONFIG },
    ],
    outputs: [`{workspaceRoot}/${output}`],
    options: { python },
    metadata: targetMetadata(['python'], `The worker bundle for this host: ${output} (make pkg)`, nxRun('worker-bundle', 'pkg--host')),
  };
}

/** A foreign bundle: depends on its own builder only and reads its digest. */
function variantTarget(root: string, builder: string, expected: Runtime | undefined, short: 'amd64' | 'arm64', version: string): TargetConfiguration {
  const output = foreignBundlePath(builder, expected, short, version);
  const project = builderProject(builder);
  return {
    executor: executor('foreign-bundle'),
    cache: true,
    dependsOn: [builderBuild(builder), REGISTRY_READY],
    inputs: [
      ...bundleInputs(`{workspaceRoot}/${root}`),
      `{workspaceRoot}/${BUILD_CONSTRAINTS_FILE}`,
      ...bytecodeExcludes(`{workspaceRoot}/${root}`),
      'version',
      ...toolingInputs('foreign-bundle'),
      BUILDER_DIGEST_INPUT,
      ...PIP_INPUTS.container,
    ],
    outputs: [`{workspaceRoot}/${output}`],
    options: { runtime: builder, ...(expected ? { expectedRuntime: expected.name } : {}), platform: `linux/${short}`, sourceDir: root },
    metadata: targetMetadata(
      ['python', 'docker'],
      `The worker bundle for ${expected?.name ?? `the runtime ${project} reports`} on linux/${short}, built in ${project}: ${output} (make pkg runtime=${builder} platform=linux/${short})`,
      nxRun('worker-bundle', `pkg--${builder}-${short}`),
    ),
  };
}

function sdistTarget(root: string, version: string): TargetConfiguration {
  const sources = ['lava/**/*', 'bin/**/*', 'setup.py', 'pyproject.toml', 'MANIFEST.in', '*.md', 'LICENCE.txt', 'requirements.txt', 'requirements-extra.txt'];
  return {
    executor: executor('sdist'),
    cache: true,
    dependsOn: [PYTHON_ENV_INIT],
    inputs: [
      ...sources.map((p) => `{workspaceRoot}/${root}/${p}`),
      ...bytecodeExcludes(`{workspaceRoot}/${root}`),
      'version',
      'pythonTools',
      ...toolingInputs('sdist'),
      ...envInputs('SOURCE_DATE_EPOCH'),
    ],
    outputs: [`{workspaceRoot}/dist/jinlava/jinlava-${version}.tar.gz`],
    options: { sourceDir: root, outputPath: 'dist/jinlava' },
    metadata: targetMetadata(['python'], `The jinlava sdist: dist/jinlava/jinlava-${version}.tar.gz, importable as lava (make jinlava)`, nxRun('jinlava', 'build')),
  };
}
