// The lava docker images (make's docker/Makefile): one OS folder per image
// family, `base` then `full` per OS, multi-platform, pushed to the local
// registry; the digest records that make a build cacheable. What happens to a
// built image afterwards is built-image.ts; the tree's own checks img-check.ts.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildxBuildArgs, type BuildxInputs } from '../docker/cli';
import { REGISTRY_HOST } from '../docker/registry-address';
import { BuildError } from '../core/errors';

export const DOCKER_ROOT = 'packages/docker';
export const IMAGE_TYPES = ['base', 'full'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];
/** The file that makes a folder under <dockerRoot>/os an OS: the base image it starts from. */
export const FROM_FILE = 'from.txt';

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

/** make's `docker buildx build --push --pull --provenance=false`, plus labels and index and manifest annotations (so OCI media types). */
export function imageBuildxArgs(i: Omit<BuildxInputs, 'ociMediaTypes'>): string[] {
  return buildxBuildArgs({ ...i, ociMediaTypes: true });
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
