import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { builderDigestFile, checkBuilder, deprecationOf } from '../../lib/builders';
import { buildxBuildArgs, builderImage, checkEngine, checkMultiPlatformBuildx, digestFromMetadata } from '../../lib/docker';
import { BuildError } from '../../lib/errors';
import { lavaExecutor } from '../../lib/executor';
import { writeAtomically, withTempDir } from '../../lib/fs';
import { platformOf } from '../../lib/platform';
import { run } from '../../lib/process';
import { secretsOfUrl } from '../../lib/redact';
import { checkRegistry } from '../../lib/registry';
import type { BuilderImageExecutorSchema } from './schema';

export default lavaExecutor<BuilderImageExecutorSchema>(async (options, context) => {
  const contextDir = options.context ?? 'etc/builders';
  const dockerfile = join(context.root, options.dockerfile);
  if (!existsSync(dockerfile)) throw new BuildError(`${options.dockerfile} is missing`, { fix: `ls ${contextDir}` });
  checkBuilder(context.root, options.runtime, contextDir);
  const platforms = (options.platforms ?? ['linux/amd64', 'linux/arm64']).map(platformOf);
  const deprecated = deprecationOf(readFileSync(dockerfile, 'utf8'));
  if (deprecated !== undefined) console.warn(`⚠ builder ${options.runtime} is deprecated${deprecated ? `: ${deprecated}` : ''}`);

  await checkEngine();
  await checkMultiPlatformBuildx(platforms);
  await checkRegistry();

  const image = builderImage(options.runtime);
  const digest = await withTempDir('lava-builder', async (tmp) => {
    const metadataFile = join(tmp, 'metadata.json');
    const secrets = secretsOfUrl(process.env.PIP_INDEX_URL);
    const args = buildxBuildArgs({
      dockerfile,
      context: join(context.root, contextDir),
      tags: [`${image}:latest`],
      platforms,
      metadataFile,
      secretsFromEnv: process.env.PIP_INDEX_URL ? ['PIP_INDEX_URL'] : [],
    });
    await run('docker', args, { cwd: context.root, secrets, label: `docker buildx build of ${options.runtime}` });
    return digestFromMetadata(metadataFile);
  });
  const outDir = join(context.root, dirname(builderDigestFile(options.runtime)));
  await writeAtomically(outDir, async (staging) => {
    await mkdir(staging, { recursive: true });
    await writeFile(join(staging, 'image.digest'), `${image}@${digest}\n`);
  });
  console.log(`Pushed ${image}:latest (${platforms.map((p) => p.docker).join(', ')}) as ${digest}`);
});
