// The lava docker images (make's docker/Makefile): one OS folder per image
// family, `base` then `full` per OS, multi-platform, pushed to the local
// registry; the digest records that make a build cacheable; the smoke checks.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REGISTRY_HOST } from '../docker/cli';
import { BuildError } from '../core/errors';
import type { Platform } from '../core/platform';
import { run } from '../core/process';
import { redact } from '../core/redact';
import { readJsonFile } from '../core/user-files';
import { manifest } from '../docker/registry';
import { imageProject, nxRun } from '../workspace/project-names';

export const DOCKER_ROOT = 'packages/docker';
export const IMAGE_TYPES = ['base', 'full'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];
/** The file that makes a folder under <dockerRoot>/os an OS: the base image it starts from. */
export const FROM_FILE = 'from.txt';

/** make's IMAGE_ATTRS: labels on the images and annotations on the index and manifests. */
export const IMAGE_ATTRS: Readonly<Record<string, string>> = {
  'org.opencontainers.image.url': 'https://github.com/jin-gizmo/lava',
  'org.opencontainers.image.source': 'https://github.com/jin-gizmo/lava',
  'org.opencontainers.image.documentation': 'https://jin-gizmo.github.io/lava',
  'org.opencontainers.image.licenses': 'BSD-3-Clause',
};

/** make's DESCRIPTION per type, word for word. */
export const IMAGE_DESCRIPTIONS: Readonly<Record<ImageType, string>> = {
  base: 'Base installation of lava, without external components required to use CLI based connectors.',
  full: 'Full installation of lava, including external components required to use CLI based connectors.',
};

/** The real tree's checks: `common/img-check.sh -p <platform> <image>`, per platform and type. */
export const IMG_CHECK_SCRIPT = 'common/img-check.sh';

export interface KnownOses {
  current: string[];
  legacy: string[];
}

function osFolders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, FROM_FILE)))
    .sort();
}

/** `<dockerRoot>/os/*` are built; `<dockerRoot>/os.legacy/*` are listed and never built. */
export function knownOses(workspaceRoot: string, dockerRoot = DOCKER_ROOT): KnownOses {
  return { current: osFolders(join(workspaceRoot, dockerRoot, 'os')), legacy: osFolders(join(workspaceRoot, dockerRoot, 'os.legacy')) };
}

export function checkOs(workspaceRoot: string, os: string, dockerRoot = DOCKER_ROOT): void {
  const known = knownOses(workspaceRoot, dockerRoot);
  if (known.current.includes(os)) return;
  const legacy = known.legacy.length ? ` (legacy, not built: ${known.legacy.join(', ')})` : '';
  if (known.legacy.includes(os)) {
    throw new BuildError(`OS "${os}" is legacy (${dockerRoot}/os.legacy/${os}) and is not built; known: ${known.current.join(', ') || 'none'}`, {
      fix: `git mv ${dockerRoot}/os.legacy/${os} ${dockerRoot}/os/${os} to build it again`,
    });
  }
  throw new BuildError(`unknown OS "${os}"; known: ${known.current.join(', ') || 'none'}${legacy}`, { fix: `ls ${dockerRoot}/os` });
}

/** `lava/<os>/<type>`, under `prefix` when given (a registry namespace). */
export function imageRepository(os: string, type: ImageType, prefix?: string): string {
  return [prefix, 'lava', os, type].filter(Boolean).join('/');
}

export function localImage(os: string, type: ImageType): string {
  return `${REGISTRY_HOST}/${imageRepository(os, type)}`;
}

/** Workspace-relative record of a pushed image: the build target's cached output. */
export function imageRecordFile(os: string, type: ImageType): string {
  return `dist/docker/${os}/${type}.json`;
}

export interface ImageRecord {
  image: string;
  digest: string;
  tags: string[];
  platforms: string[];
  version: string;
}

/** make's labels: the title, the description and IMAGE_ATTRS. */
export function imageLabels(os: string, type: ImageType): Record<string, string> {
  return {
    'org.opencontainers.image.title': `Lava ${type} (${os})`,
    'org.opencontainers.image.description': IMAGE_DESCRIPTIONS[type],
    ...IMAGE_ATTRS,
  };
}

/** make's annotations (index and manifest): the description and IMAGE_ATTRS, not the title. */
export function imageAnnotations(type: ImageType): Record<string, string> {
  return { 'org.opencontainers.image.description': IMAGE_DESCRIPTIONS[type], ...IMAGE_ATTRS };
}

export interface ImageBuildInputs {
  dockerfile: string;
  context: string;
  tags: readonly string[];
  platforms: readonly Platform[];
  metadataFile: string;
  buildArgs: Readonly<Record<string, string>>;
  labels: Readonly<Record<string, string>>;
  /** Put on the index and on each manifest. */
  annotations: Readonly<Record<string, string>>;
  /** Passed by name (`--secret id=NAME,env=NAME`): the Dockerfile mounts them in its one RUN. */
  secretsFromEnv?: readonly string[];
  /** Rebuild every layer, ignoring BuildKit's cache (the Nx cache is skipped with --skip-nx-cache). */
  noCache?: boolean;
}

/** make's `docker buildx build --push --pull --provenance=false`, plus labels and index and manifest annotations. */
export function imageBuildxArgs(i: ImageBuildInputs): string[] {
  return [
    'buildx', 'build', '--pull',
    // --push, with OCI media types: Docker's manifest-list format has no room for annotations.
    '--output=type=registry,oci-mediatypes=true',
    `--platform=${i.platforms.map((p) => p.docker).join(',')}`,
    '--provenance=false',
    ...(i.noCache ? ['--no-cache'] : []),
    '--metadata-file', i.metadataFile,
    '-f', i.dockerfile,
    ...i.tags.flatMap((t) => ['-t', t]),
    ...Object.entries(i.buildArgs).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
    ...Object.entries(i.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
    // One flag per level: buildx 0.13 with the docker driver takes "index,manifest:" as part of the key.
    // A one-platform build pushes a single manifest: BuildKit refuses index annotations then.
    ...Object.entries(i.annotations).flatMap(([k, v]) => [...(i.platforms.length > 1 ? ['--annotation', `index:${k}=${v}`] : []), '--annotation', `manifest:${k}=${v}`]),
    ...(i.secretsFromEnv ?? []).flatMap((name) => ['--secret', `id=${name},env=${name}`]),
    i.context,
  ];
}

/** The image a folder's `from.txt` names (first non-comment line). */
export function baseImageOf(workspaceRoot: string, dockerRoot: string, os: string): string {
  const file = join(workspaceRoot, dockerRoot, 'os', os, FROM_FILE);
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith('#'));
  if (!line) throw new BuildError(`${dockerRoot}/os/${os}/${FROM_FILE} names no base image`, { fix: `echo amazonlinux:2023 > ${dockerRoot}/os/${os}/${FROM_FILE}` });
  return line;
}

/** The folder whose files form the build context of one image type; it must hold `<type>-*` scripts. */
export function typeFolder(workspaceRoot: string, dockerRoot: string, os: string, type: ImageType): string {
  const dir = join(workspaceRoot, dockerRoot, 'os', os, type);
  if (!existsSync(dir) || !statSync(dir).isDirectory() || !readdirSync(dir).some((f) => f.startsWith(`${type}-`))) {
    throw new BuildError(`${dockerRoot}/os/${os}/${type}/ has no ${type}-* scripts to run`, { fix: `ls ${dockerRoot}/os/${os}` });
  }
  return dir;
}

/**
 * The image record of a built type, after checking the registry still holds it:
 * a cache hit restores the record even when the registry has since lost the image.
 */
export async function builtImage(workspaceRoot: string, os: string, type: ImageType): Promise<ImageRecord> {
  const file = join(workspaceRoot, imageRecordFile(os, type));
  if (!existsSync(file)) {
    throw new BuildError(`the ${type} image of ${os} has not been built`, { fix: nxRun(imageProject(os), 'build') });
  }
  const rebuild = `${nxRun(imageProject(os), `build-${type}`)} --skip-nx-cache`;
  const record = readJsonFile<ImageRecord>(file, imageRecordFile(os, type), rebuild);
  if (typeof record?.digest !== 'string' || typeof record.image !== 'string') {
    throw new BuildError(`${imageRecordFile(os, type)}:1: not an image record (no "image" and "digest")`, { fix: rebuild });
  }
  if (!(await manifest(imageRepository(os, type), record.digest))) {
    throw new BuildError(`${record.image}@${record.digest} is not in the registry on ${REGISTRY_HOST}`, {
      fix: rebuild,
    });
  }
  return record;
}

export interface CopyOptions {
  registry: string;
  prefix: string;
  /** What to run when the registry refuses (e.g. `docker login <registry>`). */
  fix: string;
  env?: Record<string, string>;
  secrets?: readonly string[];
}

/**
 * make's push: `buildx imagetools create` copies the whole index (every platform) with both tags.
 * One tag per call, one call after the other: given both tags at once, buildx 0.13 pushes the
 * platform manifests and the index to the two tags concurrently, and the registry refuses the
 * index now and then (400, "provided digest did not match uploaded content"; 3 in 40 copies).
 */
export async function copyImage(workspaceRoot: string, os: string, type: ImageType, o: CopyOptions): Promise<string[]> {
  const record = await builtImage(workspaceRoot, os, type);
  const target = `${o.registry}/${imageRepository(os, type, o.prefix)}`;
  const tags = [`${target}:${record.version}`, `${target}:latest`];
  try {
    for (const tag of tags) {
      const args = ['buildx', 'imagetools', 'create', '--tag', tag, `${record.image}@${record.digest}`];
      await run('docker', args, { env: o.env, secrets: o.secrets, label: `copying lava/${os}/${type} to ${tag.slice(target.length + 1)}` });
    }
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    throw new BuildError(`${redact(o.registry, o.secrets)} refused the push of ${redact(target, o.secrets)}`, { fix: o.fix, detail: error.detail, cause: error });
  }
  return tags;
}
