// lava's own checks (make check) as `lint` targets on the projects that hold
// its sources: each Lambda folder, each docker OS folder, and the lava root
// (worker-bundle), which also checks every file of the tree that no other lint
// target covers (docker/common, lambda/pkg.sh, ami/, dev-tools/, the guide's
// YAML …), as make's one repository-wide check did. Every lint reads the
// lava root's .flake8, pyproject.toml and .yamllint.yaml, wherever its files are.
//
// The projects themselves come from other plugins; this one only adds targets
// to their roots, found from the same files (the version file, a Lambda's
// requirements.txt, a docker OS's from.txt).
import { posix } from 'node:path';
import type { CreateNodesResult, TargetConfiguration } from '@nx/devkit';
import { FOLDER_MAP, LAVA_ROOT } from '../lib/workspace/adopt';
import { inFiles } from '../lib/python/freeze';
import { DOCKER_ROOT, FROM_FILE } from '../lib/images/build';
import { LAMBDA_DEFAULTS } from '../lib/python/lambda';
import { VERSION_FILE } from '../lib/workspace/version';
import { pluginOptionsOf } from '../lib/workspace/plugin-options';
import { nxRun } from '../lib/workspace/project-names';
import { executor, inferProjects, PYTHON_ENV_INIT, targetMetadata, toolingInputs, folderOption } from './shared';

export interface LavaChecksPluginOptions {
  dockerRoot?: string;
}

/** The tree's configuration files every check reads (shellcheck runs with --norc: its rc is no input). */
const CONFIG_FILES = ['.flake8', 'pyproject.toml', '.yamllint.yaml', '.yamllint.yml', '.yamllint'];
/** Never checked, never inputs: downloads (the Oracle zips and their links) and Python's caches. */
const NOT_SOURCES = ['**/*.zip', '**/__pycache__/**', '**/*.pyc'];
const CHECKED_EXTENSIONS = ['py', 'sh', 'yaml', 'yml'];

/**
 * Folders of the tree beside the lava root and what of each the root's lint
 * looks at. Folders of templates, pages or downloads hold no scripts the hook
 * would have found without an extension (and doc/ it skipped for scripts), so
 * only files with a checked extension count there; external-packages holds
 * only downloads.
 */
function treeFolders(): Array<{ dir: string; globs: string[] }> {
  const byExtension = (dir: string, exts: string[]) => exts.map((ext) => `${dir}/**/*.${ext}`);
  return FOLDER_MAP.filter(([, ws]) => ws !== 'external-packages').map(([, dir]) => {
    if (dir === 'packages/docs') return { dir, globs: byExtension(dir, ['yaml', 'yml']) };
    if (dir === 'packages/cfn' || dir === 'etc/builders') return { dir, globs: byExtension(dir, CHECKED_EXTENSIONS) };
    return { dir, globs: [`${dir}/**`] };
  });
}

export const createNodesV2 = inferProjects<LavaChecksPluginOptions>({
  name: 'lava-checks',
  // requirements*.in are matched too, so that adding one adds its folder's freeze target.
  glob: `{${VERSION_FILE},**/lambda/*/requirements.txt,**/os/*/${FROM_FILE},**/requirements*.in}`,
  options: { dockerRoot: 'string' },
  infer: (files, options, context) => {
    // The docker OS folders are where the docker-images plugin finds them, unless set here.
    const images = pluginOptionsOf<{ dockerRoot: string }>(context.nxJsonConfiguration as Parameters<typeof pluginOptionsOf>[0], 'docker-images');
    const dockerRoot = folderOption(options.dockerRoot ?? images.dockerRoot ?? DOCKER_ROOT);
    const lavaRoot = files.includes(VERSION_FILE) ? posix.dirname(posix.dirname(VERSION_FILE)) : undefined;
    const lambdas = files.filter((f) => /(^|\/)lambda\/[^/]+\/requirements\.txt$/.test(f)).map((f) => posix.dirname(f));
    const oses = files.filter((f) => f.startsWith(`${dockerRoot}/os/`) && f.endsWith(`/${FROM_FILE}`)).map((f) => posix.dirname(f));
    const subRoots = [...lambdas, ...oses].sort();
    const configRoot = lavaRoot ?? LAVA_ROOT;
    // freeze only where there is something to freeze: a folder with requirements*.in.
    const inDirs = new Set(files.filter((f) => inFiles([posix.basename(f)]).length).map((f) => posix.dirname(f)));
    const freezing = (root: string, pythonVersion?: string): Record<string, TargetConfiguration> => (inDirs.has(root) ? { freeze: freezeTarget(pythonVersion) } : {});
    const results = new Map<string, CreateNodesResult>();
    const add = (file: string, root: string, targets: Record<string, TargetConfiguration>) => results.set(file, { projects: { [root]: { root, targets } } });
    if (lavaRoot) {
      add(VERSION_FILE, lavaRoot, { lint: rootLint(lavaRoot, subRoots), test: testTarget(), ...freezing(lavaRoot), deploy: deployTarget(lavaRoot) });
      // jinlava (the sdist) is a virtual root inside the lava root.
      results.get(VERSION_FILE)!.projects![`${lavaRoot}/jinlava`] = { root: `${lavaRoot}/jinlava`, targets: { publish: publishTarget() } };
    }
    const lambdaPython = /py(\d+\.\d+)$/.exec(LAMBDA_DEFAULTS.runtime)?.[1];
    for (const root of lambdas) add(`${root}/requirements.txt`, root, { lint: subLint(root, configRoot, []), ...freezing(root, lambdaPython) });
    // The OS scripts source docker/common's helpers: what those define changes shellcheck's findings.
    for (const root of oses) add(`${root}/${FROM_FILE}`, root, { lint: subLint(root, configRoot, [`${dockerRoot}/common/**/*`]) });
    return { select: (file) => results.has(file), nodes: (file) => results.get(file)! };
  },
});

export const createNodes = createNodesV2;

function lintTarget(include: string[], exclude: string[], inputs: string[], configRoot: string, what: string): TargetConfiguration {
  return {
    executor: executor('lava-lint'),
    cache: true,
    dependsOn: [PYTHON_ENV_INIT],
    inputs: [...inputs, 'pythonTools', ...toolingInputs('lava-lint')],
    outputs: [],
    options: { include, exclude, configRoot },
    metadata: targetMetadata(['python', 'shell', 'yaml'], `lava's checks on ${what}: ruff, flake8, shellcheck, yamllint with ${configRoot}'s settings (make check)`),
  };
}

/**
 * make freeze: uncached, since it rewrites tracked files (a cache hit would
 * skip the write, a restore would write stale pins). `pkg` never runs it,
 * unlike make's: a build must not change the sources it builds from.
 */
export function freezeTarget(pythonVersion?: string): TargetConfiguration {
  return {
    executor: executor('freeze'),
    cache: false,
    dependsOn: [PYTHON_ENV_INIT],
    // Explicit, with no `^`: a Lambda's implicit dependency is a builder on a virtual root, which nx cannot hash.
    inputs: ['{projectRoot}/requirements*.in', '{projectRoot}/requirements*.txt', 'pythonTools'],
    options: pythonVersion ? { pythonVersion } : {},
    configurations: { upgrade: { upgrade: true }, check: { check: true } },
    metadata: targetMetadata(
      ['python'],
      `requirements*.in → requirements*.txt, pinned as etc/pip-freeze did, in one uv resolution${pythonVersion ? ` for Python ${pythonVersion}` : ''} (make freeze; --configuration=upgrade: make upgrade)`,
    ),
  };
}

/**
 * make deploy: uncached (its effect is in S3). It sends what is built, as
 * make's did ("the build must be done prior"): building every artefact first
 * would need docker and the builders for a deploy of the templates alone.
 */
export function deployTarget(lavaRoot: string): TargetConfiguration {
  return {
    executor: executor('deploy'),
    cache: false,
    dependsOn: [PYTHON_ENV_INIT],
    inputs: ['version'],
    options: { config: `${lavaRoot}/deploy.yaml` },
    metadata: targetMetadata(
      ['aws'],
      'Sync the built artefacts to S3 for one environment of deploy.yaml after checking the AWS account (make deploy env=…); --dry-run lists what would go where',
      `${nxRun('worker-bundle', 'deploy')} --env=prod --dry-run`,
    ),
  };
}

/** make pypi: uncached (its effect is on the index), after the sdist build. */
export function publishTarget(): TargetConfiguration {
  return {
    executor: executor('pypi-publish'),
    cache: false,
    dependsOn: ['build', PYTHON_ENV_INIT],
    // A virtual root owns no file: without explicit inputs nx cannot hash the task at all.
    inputs: ['version', { dependentTasksOutputFiles: '**/*.tar.gz', transitive: false }],
    options: { repository: 'pypi' },
    metadata: targetMetadata(
      ['python'],
      'twine upload of the jinlava sdist to the ~/.pypirc repository (--repository=<section>) or TWINE_REPOSITORY_URL + TWINE_PASSWORD; refused when the version is there (make pypi)',
      `${nxRun('jinlava', 'publish')} --repository=testpypi`,
    ),
  };
}

/** make test / make coverage: the tree's pytest suite, from the tree's root. */
export function testTarget(): TargetConfiguration {
  return {
    executor: executor('pytest'),
    cache: true,
    dependsOn: [PYTHON_ENV_INIT],
    inputs: ['{projectRoot}/**/*', ...NOT_SOURCES.map((g) => `!{projectRoot}/${fileGlob(g)}`), 'pythonTools', ...toolingInputs('pytest')],
    outputs: ['{workspaceRoot}/dist/test'],
    options: { testDir: 'test', outputPath: 'dist/test' },
    configurations: { coverage: { coverage: true } },
    metadata: targetMetadata(
      ['python', 'pytest'],
      "The tree's pytest suite in test/ (make test); --configuration=coverage adds the HTML report in dist/test/htmlcov (make coverage)",
      `${nxRun('worker-bundle', 'test')} --configuration=coverage`,
    ),
  };
}

// An input glob for the files a fast-glob pattern selects: a folder pattern ending in two stars gets a file part.
const fileGlob = (glob: string) => (glob.endsWith('/**') ? `${glob}/*` : glob);

/** The lava root's lint: its own folder and the rest of the tree, less the folders with a lint of their own. */
export function rootLint(root: string, subRoots: string[]): TargetConfiguration {
  const folders = root === LAVA_ROOT ? treeFolders() : [];
  const include = [`${root}/**`, ...folders.flatMap((f) => f.globs)];
  const exclude = [...subRoots.map((r) => `${r}/**`), ...NOT_SOURCES];
  const inputs = [
    ...include.map((g) => `{workspaceRoot}/${fileGlob(g)}`),
    ...exclude.map((g) => `!{workspaceRoot}/${fileGlob(g)}`),
  ];
  return lintTarget(include, exclude, inputs, root, `${root} and the tree's folders without a lint of their own`);
}

export function subLint(root: string, configRoot: string, extraInputs: string[]): TargetConfiguration {
  const inputs = [
    '{projectRoot}/**/*',
    ...NOT_SOURCES.map((g) => `!{projectRoot}/${fileGlob(g)}`),
    ...CONFIG_FILES.map((f) => `{workspaceRoot}/${configRoot}/${f}`),
    ...extraInputs.map((g) => `{workspaceRoot}/${g}`),
  ];
  return lintTarget([`${root}/**`], NOT_SOURCES, inputs, configRoot, root);
}
