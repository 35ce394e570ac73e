// Builder images: where their digests are recorded, which runtimes exist, and
// the checks a dependant makes before it runs in one.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { ExecutorContext } from '@nx/devkit';
import { join } from 'node:path';
import { BUILDER_REPOSITORY } from './cli';
import { REGISTRY_HOST } from './registry-address';
import { BuildError } from '../core/errors';
import { bundleFileName, bundlePath } from '../python/bundle-name';
import type { Platform } from '../core/platform';
import { runtimeOfName, type Runtime } from '../python/runtime';
import { manifest } from './registry';
import { pluginOptionsOf } from '../workspace/plugin-options';
import { builderOfProject, builderProject, nxRun } from '../workspace/project-names';

export const DEFAULT_BUILDERS_DIR = 'etc/builders';
/** The dependsOn edge of every docker target: the registry up and answering. */
export const REGISTRY_READY = { projects: ['registry'], target: 'serve', waitFor: 'ready' as const };

/** A Dockerfile says it is deprecated with a `# deprecated: <why>` line. */
export function deprecationOf(dockerfile: string): string | undefined {
  return /^#\s*deprecated:?\s*(.*)$/im.exec(dockerfile)?.[1]?.trim();
}

/** Workspace-relative file holding the runtime the builder's container reports (`<os>-py<X.Y>`), beside the digest. */
export function builderRuntimeFile(builder: string): string {
  return `dist/builders/${builder}/runtime`;
}

/** Workspace-relative file holding `<image>@<digest>` of a pushed builder: its build target's output. */
export function builderDigestFile(runtime: string): string {
  return `dist/builders/${runtime}/image.digest`;
}

/** The builders: the Dockerfile names (any name) in `buildersDir`, sorted. */
export function knownBuilders(root: string, buildersDir = DEFAULT_BUILDERS_DIR): string[] {
  const dir = join(root, buildersDir);
  if (!existsSync(dir)) return [];
  // A Dockerfile that cannot be read (a dangling link, a folder) is no builder: the builders plugin skips it, saying so.
  const readable = (f: string) => {
    try {
      return statSync(join(dir, f)).isFile();
    } catch {
      return false;
    }
  };
  return readdirSync(dir)
    .filter((f) => f.endsWith('.Dockerfile') && readable(f))
    .map((f) => f.slice(0, -'.Dockerfile'.length))
    .sort();
}

function checkKnown(name: string, known: readonly string[], buildersDir: string): void {
  if (!known.includes(name)) {
    throw new BuildError(`unknown builder "${name}"; known: ${known.length ? known.join(', ') : 'none'}`, {
      fix: `ls ${buildersDir} (one <name>.Dockerfile per builder)`,
    });
  }
}

/** Checks `<buildersDir>/<name>.Dockerfile` exists, listing the builders otherwise. */
export function checkBuilder(root: string, name: string, buildersDir = DEFAULT_BUILDERS_DIR): void {
  checkKnown(name, knownBuilders(root, buildersDir), buildersDir);
}

/**
 * The runtime a builder's artefacts are named after, when it can be told before the
 * build: configured for it (the builders plugin's `runtimes` option), or read from its
 * file name (`amzn2023-py3.13`, and `rocky9-p3.9` reads as `rocky9-py3.9`). Undefined
 * when only the container can tell.
 */
export function expectedRuntime(builder: string, configured: Record<string, string> = {}): Runtime | undefined {
  const named = configured[builder];
  if (named !== undefined) {
    const runtime = runtimeOfName(named);
    if (!runtime) throw new BuildError(`the builders plugin's runtimes option names "${named}" for ${builder}, which is not <os>-py<X.Y>`, { fix: 'edit nx.json' });
    return runtime;
  }
  return runtimeOfName(builder);
}

/**
 * Where a bundle built in a builder lands. With a runtime known before the build, the
 * make path `dist/pkg/<os>/lava-<v>-<runtime>-<arch>.tar.bz2`; otherwise the file is
 * named after the runtime the container reports, under a folder of the builder's own
 * (`dist/pkg/<builder>/`), so its declared output is a glob no other variant matches.
 */
export function variantBundle(
  builder: string,
  runtime: Runtime | undefined,
  arch: Platform['arch'],
  version: string,
  outputDir = 'dist/pkg',
): { declared: string; file(reported: Runtime): string } {
  if (runtime) {
    const path = bundlePath({ version, runtime: runtime.name, os: runtime.os, arch }, outputDir);
    return { declared: path, file: () => path };
  }
  const folder = `${outputDir}/${builder}`;
  return {
    declared: `${folder}/${bundleFileName({ version, runtime: '*', os: '', arch })}`,
    file: (reported) => `${folder}/${bundleFileName({ version, runtime: reported.name, os: reported.os, arch })}`,
  };
}

/**
 * The pinned image (`<repo>@sha256:…`) of a builder, after checking the registry
 * still has it: a cached build target restores the digest file even when the
 * image has since vanished, and that must fail here in one line, not later in docker.
 */
export async function pinnedBuilder(root: string, runtime: string): Promise<string> {
  const file = join(root, builderDigestFile(runtime));
  if (!existsSync(file)) {
    throw new BuildError(`builder image for ${runtime} has not been built`, { fix: nxRun(builderProject(runtime), 'build') });
  }
  const pinned = readFileSync(file, 'utf8').trim();
  const [image, digest = ''] = pinned.split('@');
  // The repository is the one the build pushed to (its registry host stripped), whatever namespace that was.
  const repository = image.startsWith(`${REGISTRY_HOST}/`) ? image.slice(REGISTRY_HOST.length + 1) : `${BUILDER_REPOSITORY}/${runtime}`;
  if (!(await manifest(repository, digest))) {
    throw new BuildError(`builder image ${image}@${digest} is not in the registry on ${REGISTRY_HOST}`, {
      fix: `${nxRun(builderProject(runtime), 'build')} --skip-nx-cache`,
    });
  }
  return pinned;
}

/**
 * Checks `builder` has a builder project (the plugin made one per Dockerfile in its
 * builders folder, wherever that is configured), listing the known ones otherwise.
 */
export function checkBuilderProject(context: ExecutorContext, builder: string): void {
  const known = Object.keys(context.projectsConfigurations?.projects ?? {})
    .map(builderOfProject)
    .filter((name): name is string => name !== undefined)
    .sort();
  checkKnown(builder, known, DEFAULT_BUILDERS_DIR);
}

/** The builders plugin's options, the one place that says where the builders are and what they are. */
export interface BuildersOptions {
  /** The folder of builder Dockerfiles (tests point it at a fixture folder). */
  buildersDir?: string;
  /** A builder's runtime where its file name does not say it: `{ "<file name>": "<os>-py<X.Y>" }`. */
  runtimes?: Record<string, string>;
  /** Deprecated builders, `{ "<pattern>": "<why>" }`; a pattern (`*` wildcards) matches the file name or the runtime. */
  deprecated?: Record<string, string>;
  /** Builders left out of the graph altogether, `{ "<pattern>": "<why>" }`, matched as `deprecated`. */
  exclude?: Record<string, string>;
  /** The registry namespace of the builder images (`build/lava`, make's); tests push under one of their own. */
  repository?: string;
}

/** What the lava guide deprecates when nx.json says nothing: Python 3.9 and Rocky Linux 9. */
export const DEFAULT_DEPRECATED: Readonly<Record<string, string>> = {
  '*-py3.9': 'Python 3.9 is past its end of life',
  'rocky9-*': 'Rocky Linux 9 builds are deprecated',
};

/** Left out when nx.json says nothing: Python below setup.py's python_requires (>=3.11) cannot install lava. */
export const DEFAULT_EXCLUDED: Readonly<Record<string, string>> = {
  '*-py3.8': "Python 3.8 is below setup.py's python_requires>=3.11",
};

function globMatches(pattern: string, name: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(name);
}

/** The reason of the first pattern matching the builder's file name or its runtime, if any. */
export function matchBuilder(patterns: Readonly<Record<string, string>>, builder: string, runtime?: string): string | undefined {
  for (const [pattern, why] of Object.entries(patterns)) {
    if (globMatches(pattern, builder) || (runtime !== undefined && globMatches(pattern, runtime))) return why;
  }
  return undefined;
}

export interface BuilderFacts {
  name: string;
  runtime: Runtime | undefined;
  /** Why the builder is deprecated (`# deprecated:` in its Dockerfile, or the plugin option), if it is. */
  deprecated: string | undefined;
  /** Why the builder is left out of the graph, if it is. */
  excluded: string | undefined;
}

/** One builder as the plugins see it: its runtime if it can be told, and whether it is deprecated or left out. */
export function builderFacts(name: string, dockerfileText: string, options: BuildersOptions): BuilderFacts {
  let runtime: Runtime | undefined;
  try {
    runtime = expectedRuntime(name, options.runtimes);
  } catch {
    runtime = undefined;
  }
  const marked = deprecationOf(dockerfileText);
  return {
    name,
    runtime,
    deprecated: marked ?? matchBuilder(options.deprecated ?? DEFAULT_DEPRECATED, name, runtime?.name),
    excluded: matchBuilder(options.exclude ?? DEFAULT_EXCLUDED, name, runtime?.name),
  };
}

/** The builders in the graph: every Dockerfile but those the `exclude` option leaves out. */
export function includedBuilders(root: string, options: BuildersOptions): string[] {
  const dir = options.buildersDir ?? DEFAULT_BUILDERS_DIR;
  return knownBuilders(root, dir).filter((name) => {
    let runtime: string | undefined;
    try {
      runtime = expectedRuntime(name, options.runtimes)?.name;
    } catch {
      runtime = undefined;
    }
    return matchBuilder(options.exclude ?? DEFAULT_EXCLUDED, name, runtime) === undefined;
  });
}

// ---- the package index in a builder build ---------------------------------------

/** The Dockerfile declares `ARG PIP_INDEX_URL`: make passed the index as a build argument to it. */
export function declaresIndexArg(dockerfileText: string): boolean {
  return /^\s*ARG\s+PIP_INDEX_URL(\s|=|$)/m.test(dockerfileText);
}

/** The Dockerfile mounts the index as a BuildKit secret (`--mount=type=secret,id=PIP_INDEX_URL`). */
export function mountsIndexSecret(dockerfileText: string): boolean {
  return /--mount=[^\s]*type=secret[^\s]*id=PIP_INDEX_URL|--mount=[^\s]*id=PIP_INDEX_URL[^\s]*type=secret/.test(dockerfileText);
}

export interface IndexDelivery {
  /** Build args passed by name (`--build-arg NAME`): docker takes the value from our environment, so argv never holds it. */
  buildArgsFromEnv: string[];
  /** Secrets passed by name (`--secret id=NAME,env=NAME`). */
  secretsFromEnv: string[];
  /** One line to print, once: credentials will be visible in the image history. */
  warning?: string;
}

/**
 * How PIP_INDEX_URL reaches a builder Dockerfile: as a build argument where it declares
 * `ARG PIP_INDEX_URL` (make's way), as a secret where it mounts one (or declares neither,
 * which costs nothing). Credentials in a URL given as a build argument end up in
 * `docker history`: say so, redacted, with the way out.
 */
export function indexDelivery(dockerfileText: string, dockerfileShownAs: string, indexUrl: string | undefined, redacted: string): IndexDelivery {
  if (!indexUrl) return { buildArgsFromEnv: [], secretsFromEnv: [] };
  const asArg = declaresIndexArg(dockerfileText);
  const asSecret = mountsIndexSecret(dockerfileText) || !asArg;
  let credentials = false;
  try {
    const url = new URL(indexUrl);
    credentials = url.username !== '' || url.password !== '';
  } catch {
    credentials = false;
  }
  return {
    buildArgsFromEnv: asArg ? ['PIP_INDEX_URL'] : [],
    secretsFromEnv: asSecret ? ['PIP_INDEX_URL'] : [],
    ...(asArg && credentials
      ? {
          warning: `⚠ PIP_INDEX_URL (${redacted}) carries credentials and ${dockerfileShownAs} takes it as ARG PIP_INDEX_URL, so they will be visible in the image history (docker history); to keep them out, mount it as a secret instead: RUN --mount=type=secret,id=PIP_INDEX_URL … (the value is in /run/secrets/PIP_INDEX_URL); the build also passes it that way`,
        }
      : {}),
  };
}

/**
 * The builders plugin's options as nx.json gives them, for the plugins that build in
 * builders (foreign bundles, lambdas), so they are written once, in the builders entry.
 */
export function buildersOptionsOf(nxJson: Parameters<typeof pluginOptionsOf>[0]): BuildersOptions {
  return pluginOptionsOf<BuildersOptions>(nxJson, 'builders');
}
