// Builder images: where their digests are recorded, which runtimes exist, and
// the checks a dependant makes before it runs in one.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { ExecutorContext } from '@nx/devkit';
import { join } from 'node:path';
import { BUILDER_REPOSITORY, builderImage } from './docker';
import { BuildError } from './errors';
import { checkRuntime, type Runtime } from './platform';
import { manifest } from './registry';

export const DEFAULT_BUILDERS_DIR = 'etc/builders';
/** The dependsOn edge of every docker target: the registry up and answering. */
export const REGISTRY_READY = { projects: ['registry'], target: 'serve', waitFor: 'ready' as const };

/** A Dockerfile says it is deprecated with a `# deprecated: <why>` line. */
export function deprecationOf(dockerfile: string): string | undefined {
  return /^#\s*deprecated:?\s*(.*)$/im.exec(dockerfile)?.[1]?.trim();
}

/** Workspace-relative file holding `<image>@<digest>` of a pushed builder: its build target's output. */
export function builderDigestFile(runtime: string): string {
  return `dist/builders/${runtime}/image.digest`;
}

/** The runtimes that have a builder: the Dockerfiles in `buildersDir`, sorted. */
export function knownRuntimes(root: string, buildersDir = DEFAULT_BUILDERS_DIR): string[] {
  const dir = join(root, buildersDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.Dockerfile'))
    .map((f) => f.slice(0, -'.Dockerfile'.length))
    .sort();
}

export function checkBuilderRuntime(root: string, runtime: string, buildersDir = DEFAULT_BUILDERS_DIR): Runtime {
  return checkRuntime(runtime, knownRuntimes(root, buildersDir), `ls ${buildersDir} (one <runtime>.Dockerfile per builder)`);
}

/**
 * The pinned image (`<repo>@sha256:…`) of a builder, after checking the registry
 * still has it: a cached build target restores the digest file even when the
 * image has since vanished, and that must fail here in one line, not later in docker.
 */
export async function pinnedBuilder(root: string, runtime: string): Promise<string> {
  const file = join(root, builderDigestFile(runtime));
  if (!existsSync(file)) {
    throw new BuildError(`builder image for ${runtime} has not been built`, { fix: `npx nx run builder-${runtime}:build` });
  }
  const pinned = readFileSync(file, 'utf8').trim();
  const digest = pinned.split('@')[1] ?? '';
  if (!(await manifest(`${BUILDER_REPOSITORY}/${runtime}`, digest))) {
    throw new BuildError(`builder image ${builderImage(runtime)}@${digest} is not in the registry on localhost:5001`, {
      fix: `npx nx run builder-${runtime}:build --skip-nx-cache`,
    });
  }
  return pinned;
}

/**
 * Checks `runtime` has a builder project (the plugin made one per Dockerfile in its
 * builders folder, wherever that is configured), listing the known ones otherwise.
 */
export function checkProjectRuntime(context: ExecutorContext, runtime: string): Runtime {
  const known = Object.keys(context.projectsConfigurations?.projects ?? {})
    .filter((name) => name.startsWith('builder-'))
    .map((name) => name.slice('builder-'.length))
    .sort();
  return checkRuntime(runtime, known, `ls ${DEFAULT_BUILDERS_DIR} (one <runtime>.Dockerfile per builder)`);
}
