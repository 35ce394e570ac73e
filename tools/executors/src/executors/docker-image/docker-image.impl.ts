import { copyFile, cp, mkdir, realpath, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { stageBundle, writeBundle } from '../../lib/bundle';
import { checkEngine, checkMultiPlatformBuildx, digestFromMetadata } from '../../lib/docker';
import { BuildError } from '../../lib/errors';
import { lavaExecutor } from '../../lib/executor';
import { withTempDir, writeAtomically } from '../../lib/fs';
import {
  baseImageOf, builtImage, checkOs, DOCKER_ROOT, IMAGE_TYPES, imageBuildxArgs, imageLabels, imageRecordFile, localImage, typeFolder,
  type ImageRecord, type ImageType,
} from '../../lib/images';
import { imageOracleZips, ORACLE_DIR } from '../../lib/oracle';
import { platformOf } from '../../lib/platform';
import { run } from '../../lib/process';
import { secretsOfUrl } from '../../lib/redact';
import { checkRegistry } from '../../lib/registry';
import { readVersion } from '../../lib/version';
import type { DockerImageExecutorSchema } from './schema';

export default lavaExecutor<DockerImageExecutorSchema>(async (options, context) => {
  const root = context.root;
  const dockerRoot = options.dockerRoot ?? DOCKER_ROOT;
  const type = options.type as ImageType;
  if (!IMAGE_TYPES.includes(type)) throw new BuildError(`unknown image type "${options.type}"; known: ${IMAGE_TYPES.join(', ')}`);
  checkOs(root, options.os, dockerRoot);
  const platforms = (options.platforms ?? ['linux/amd64', 'linux/arm64']).map(platformOf);
  const version = readVersion(root).num;
  const folder = typeFolder(root, dockerRoot, options.os, type);
  const oracleDir = options.oracleDir ?? ORACLE_DIR;
  const oracleZips = type === 'full' ? imageOracleZips(join(root, oracleDir), platforms) : [];

  await checkEngine();
  await checkMultiPlatformBuildx(platforms);
  await checkRegistry();
  const from = type === 'base' ? baseImageOf(root, dockerRoot, options.os) : await pinnedBase(root, options.os);

  const image = localImage(options.os, type);
  const tags = [`${image}:${version}`, `${image}:latest`];
  const secrets = secretsOfUrl(process.env.PIP_INDEX_URL);
  const digest = await withTempDir('lava-image', async (tmp) => {
    const contextDir = join(tmp, 'context');
    // make's `cp -RL`: the OS folders link into common/, the context holds the files.
    await cp(folder, contextDir, { recursive: true, dereference: true });
    if (type === 'base') {
      const workerDir = options.workerDir ?? 'packages/lava';
      await stageBundle(join(root, workerDir), join(tmp, 'bundle'), undefined, workerDir);
      await writeBundle(join(tmp, 'bundle'), join(contextDir, `lava-${version}.tar.bz2`));
    }
    if (oracleZips.length) {
      await mkdir(join(contextDir, 'oracle'));
      for (const zip of oracleZips) await copyFile(zip, join(contextDir, 'oracle', basename(zip)));
    }
    const metadataFile = join(tmp, 'metadata.json');
    const args = imageBuildxArgs({
      // buildx will not follow a linked Dockerfile (the fixtures link the real one).
      dockerfile: await realpath(join(root, dockerRoot, 'Dockerfile')),
      context: contextDir,
      tags,
      platforms,
      metadataFile,
      buildArgs: { base: from, version, type, os: options.os },
      labels: imageLabels(options.os, type, version),
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

/** full starts from the exact base this graph built (by digest), never from whatever :latest is. */
async function pinnedBase(root: string, os: string): Promise<string> {
  const base = await builtImage(root, os, 'base');
  return `${base.image}@${base.digest}`;
}
