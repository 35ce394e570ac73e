import { existsSync, readFileSync } from 'node:fs';
import { realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stageImageContext, syntaxDirective, withoutSyntaxDirective, writeDockerfileCopy } from '../../lib/images/context';
import { checkEngine, checkMultiPlatformBuildx, digestFromMetadata } from '../../lib/docker/cli';
import { lavaExecutor } from '../../lib/core/executor';
import { withTempDir, writeAtomically } from '../../lib/core/fs';
import {
  baseImageOf, builtImage, checkOs, DOCKER_ROOT, imageAnnotations, imageBuildxArgs, imageLabels, imageRecordFile, localImage, typeFolder,
  type ImageRecord,
} from '../../lib/images/build';
import { imageType } from '../../lib/images/image-type';
import { imageOracleZips, ORACLE_DIR } from '../../lib/images/oracle';
import { platformOf } from '../../lib/core/platform';
import { run } from '../../lib/core/process';
import { secretsOfUrl } from '../../lib/core/redact';
import { checkRegistry } from '../../lib/docker/registry';
import { readVersion } from '../../lib/workspace/version';
import type { DockerImageExecutorSchema } from './schema';

export default lavaExecutor<DockerImageExecutorSchema>(async (options, context) => {
  const root = context.root;
  const dockerRoot = options.dockerRoot ?? DOCKER_ROOT;
  const type = imageType(options.type);
  checkOs(root, options.os, dockerRoot);
  const platforms = (options.platforms ?? ['linux/amd64', 'linux/arm64']).map(platformOf);
  const version = readVersion(root).num;
  typeFolder(root, dockerRoot, options.os, type);
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
      labels: imageLabels(options.os, type),
      annotations: imageAnnotations(type),
      secretsFromEnv: process.env.PIP_INDEX_URL ? ['PIP_INDEX_URL'] : [],
      noCache: options.noCache,
    });
    await run('docker', args, { cwd: root, secrets, label: `docker buildx build of lava/${options.os}/${type}` });
    return digestFromMetadata(metadataFile);
  });

  const record: ImageRecord = { image, digest, tags, platforms: platforms.map((p) => p.docker), version };
  const recordFile = join(root, imageRecordFile(options.os, type));
  await writeAtomically(recordFile, (staging) => writeFile(staging, `${JSON.stringify(record, null, 2)}\n`));
  console.log(`Pushed ${tags.join(', ')} (${record.platforms.join(', ')}) as ${digest}`);
});

/**
 * The Dockerfile to hand buildx. A `# syntax=<image>` line makes BuildKit fetch that frontend
 * image; offline, it fails unless the engine already holds the image. When it does, the
 * Dockerfile is used as it is; when not, a copy with the line neutralised is built by the
 * engine's own frontend (which has every instruction the lava Dockerfile uses), said in one line.
 */
async function buildableDockerfile(path: string, shownAs: string, tmp: string): Promise<string> {
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
