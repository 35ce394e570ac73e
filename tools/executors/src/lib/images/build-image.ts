// One lava image (make's `base` or `full` rule): checked before the engine is asked,
// its context staged as make's cp -RL lines staged it, built for every platform
// by buildx, pushed to the local registry and recorded by digest (the cached output).
import { existsSync, readFileSync } from 'node:fs';
import { realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { platformsOf, type Platform } from '../core/platform';
import { withTempDir, writeAtomically } from '../core/fs';
import { run } from '../core/process';
import { secretsOfUrl } from '../core/redact';
import { checkEngine, checkMultiPlatformBuildx, digestFromMetadata } from '../docker/cli';
import { checkRegistry } from '../docker/registry';
import { readVersion } from '../workspace/version';
import { builtImage } from './built-image';
import { baseImageOf, checkOs, DOCKER_ROOT, imageBuildxArgs, imageRecordFile, localImage, typeFolder, type ImageRecord } from './build';
import { stageImageContext, syntaxDirective, withoutSyntaxDirective, writeDockerfileCopy } from './context';
import { imageType } from './image-type';
import { imageAnnotations, imageLabels, readImageMetadata } from './metadata';
import { imageOracleZips, ORACLE_DIR } from './oracle';

export interface BuildImageOptions {
  workspaceRoot: string;
  os: string;
  /** base or full; anything else fails before the engine is asked. */
  type: string;
  dockerRoot?: string;
  oracleDir?: string;
  workerDir?: string;
  /** Any spelling (linux/amd64, arm64, x86_64 …); default both. */
  platforms?: readonly string[];
  noCache?: boolean;
}

export async function buildImage(options: BuildImageOptions): Promise<ImageRecord> {
  const root = options.workspaceRoot;
  const dockerRoot = options.dockerRoot ?? DOCKER_ROOT;
  const type = imageType(options.type);
  checkOs(root, options.os, dockerRoot);
  const platforms: readonly Platform[] = platformsOf(options.platforms);
  const version = readVersion(root).num;
  typeFolder(root, dockerRoot, options.os, type);
  const metadata = readImageMetadata(root, dockerRoot);
  const oracleDir = options.oracleDir ?? ORACLE_DIR;
  // Fail before the engine is asked when the Instant Client zips are missing (a tree with its own
  // packages/ folder is checked link by link while staging).
  if (type === 'full' && !existsSync(join(root, dockerRoot, 'packages'))) imageOracleZips(join(root, oracleDir), platforms);

  await checkEngine();
  await checkMultiPlatformBuildx(platforms);
  await checkRegistry();
  const from = type === 'base' ? baseImageOf(root, dockerRoot, options.os) : await pinnedBase(root, options.os);

  const image = localImage(options.os, type);
  const tags = [`${image}:${version}`, `${image}:latest`];
  const secrets = secretsOfUrl(process.env.PIP_INDEX_URL);
  const digest = await withTempDir('lava-image', async (tmp) => {
    const contextDir = join(tmp, 'context');
    await stageImageContext({
      workspaceRoot: root, dockerRoot, os: options.os, type, version, platforms, into: contextDir, scratch: tmp,
      workerDir: options.workerDir ?? 'packages/lava', oracleDir,
    });
    const dockerfile = await buildableDockerfile(join(root, dockerRoot, 'Dockerfile'), `${dockerRoot}/Dockerfile`, tmp);
    const metadataFile = join(tmp, 'metadata.json');
    const args = imageBuildxArgs({
      dockerfile,
      context: contextDir,
      tags,
      platforms,
      metadataFile,
      buildArgs: { version, base: from, type, os: options.os },
      labels: imageLabels(metadata, options.os, type),
      annotations: imageAnnotations(metadata, type),
      secretsFromEnv: process.env.PIP_INDEX_URL ? ['PIP_INDEX_URL'] : [],
      noCache: options.noCache,
    });
    await run('docker', args, { cwd: root, secrets, label: `docker buildx build of lava/${options.os}/${type}` });
    return digestFromMetadata(metadataFile);
  });

  const record: ImageRecord = { image, digest, tags, platforms: platforms.map((p) => p.docker), version };
  const recordFile = join(root, imageRecordFile(options.os, type));
  await writeAtomically(recordFile, (staging) => writeFile(staging, `${JSON.stringify(record, null, 2)}\n`));
  return record;
}

/**
 * The Dockerfile to hand buildx. A `# syntax=<image>` line makes BuildKit fetch that frontend
 * image; offline, it fails unless the engine already holds the image. When it does, the
 * Dockerfile is used as it is; when not, a copy with the line neutralised is built by the
 * engine's own frontend (which has every instruction the lava Dockerfile uses), said in one line.
 */
export async function buildableDockerfile(path: string, shownAs: string, tmp: string): Promise<string> {
  // buildx will not follow a linked Dockerfile (the fixtures link the real one).
  const real = await realpath(path);
  const frontend = syntaxDirective(readFileSync(real, 'utf8'));
  if (frontend === undefined || (await engineHasImage(frontend))) return real;
  console.warn(
    `⚠ ${shownAs} asks for the ${frontend} frontend, which this engine does not hold (and Docker Hub may be out of reach): built with the engine's built-in frontend; to use it, load it first: docker pull ${frontend}`,
  );
  return writeDockerfileCopy(real, join(tmp, 'Dockerfile'), withoutSyntaxDirective);
}

async function engineHasImage(image: string): Promise<boolean> {
  try {
    await run('docker', ['image', 'inspect', '--format', '{{.Id}}', image], { stream: false, label: `docker image inspect ${image}` });
    return true;
  } catch {
    return false;
  }
}

/** full starts from the exact base this graph built (by digest), never from whatever :latest is. */
async function pinnedBase(root: string, os: string): Promise<string> {
  const base = await builtImage(root, os, 'base');
  return `${base.image}@${base.digest}`;
}
