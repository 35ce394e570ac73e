// A built image afterwards: its record read back and checked against the registry
// (a cache hit restores the record even when the registry has since lost the image),
// and copied, every platform, to another registry.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BuildError } from '../core/errors';
import { run } from '../core/process';
import { redact } from '../core/redact';
import { readJsonFile } from '../core/user-files';
import { manifest } from '../docker/registry';
import { REGISTRY_HOST } from '../docker/registry-address';
import { imageRecordFile, imageRepository, type ImageRecord, type ImageType } from './build';
import { imageProject, nxRun } from '../workspace/project-names';

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
