import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { builderDigestFile, builderRuntimeFile, checkBuilder, deprecationOf, indexDelivery } from '../../lib/docker/builders';
import { buildxBuildArgs, builderImage, checkEngine, checkMultiPlatformBuildx, digestFromMetadata } from '../../lib/docker/cli';
import { BuildError } from '../../lib/core/errors';
import { lavaExecutor } from '../../lib/core/executor';
import { writeAtomically, withTempDir } from '../../lib/core/fs';
import { containerRuntime } from '../../lib/docker/builder-container';
import { platformsOf } from '../../lib/core/platform';
import { run } from '../../lib/core/process';
import { redactUrl, secretsOfUrl } from '../../lib/core/redact';
import { checkRegistry } from '../../lib/docker/registry';
import type { BuilderImageExecutorSchema } from './schema';

export default lavaExecutor<BuilderImageExecutorSchema>(async (options, context) => {
  const contextDir = options.context ?? 'etc/builders';
  const dockerfile = join(context.root, options.dockerfile);
  if (!existsSync(dockerfile)) throw new BuildError(`${options.dockerfile} is missing`, { fix: `ls ${contextDir}` });
  checkBuilder(context.root, options.runtime, contextDir);
  const platforms = platformsOf(options.platforms);
  const text = readFileSync(dockerfile, 'utf8');
  const deprecated = options.deprecated ?? deprecationOf(text);
  if (deprecated !== undefined) console.warn(`⚠ builder ${options.runtime} is deprecated${deprecated ? `: ${deprecated}` : ''}`);
  const indexUrl = process.env.PIP_INDEX_URL;
  const index = indexDelivery(text, options.dockerfile, indexUrl, redactUrl(indexUrl ?? ''));
  if (index.warning) console.warn(index.warning);

  await checkEngine();
  await checkMultiPlatformBuildx(platforms);
  await checkRegistry();

  const image = builderImage(options.runtime, undefined, options.repository);
  const digest = await withTempDir('lava-builder', async (tmp) => {
    const metadataFile = join(tmp, 'metadata.json');
    const secrets = secretsOfUrl(process.env.PIP_INDEX_URL);
    const args = buildxBuildArgs({
      dockerfile,
      context: join(context.root, contextDir),
      tags: [`${image}:latest`],
      platforms,
      metadataFile,
      secretsFromEnv: index.secretsFromEnv,
      buildArgsFromEnv: index.buildArgsFromEnv,
    });
    await run('docker', args, { cwd: context.root, secrets, label: `docker buildx build of ${options.runtime}` });
    return digestFromMetadata(metadataFile);
  });
  console.log(`Pushed ${image}:latest (${platforms.map((p) => p.docker).join(', ')}) as ${digest}`);
  // What make derived inside the container (etc/os-type.sh's <ID><major VERSION_ID> + python3's X.Y):
  // the runtime the builder's bundles are named after, whatever its file is called.
  const reported = await containerRuntime({ workspace: context.root, image: `${image}@${digest}`, platform: platforms[0] });
  if (options.expectedRuntime !== undefined && reported.runtime !== options.expectedRuntime) {
    console.warn(`⚠ builder ${options.runtime} reports ${reported.runtime}, not ${options.expectedRuntime}: its bundles will fail until nx.json's builders plugin says "runtimes": {"${options.runtime}": "${reported.runtime}"}`);
  } else {
    console.log(`builder ${options.runtime} runs ${reported.runtime}`);
  }
  const outDir = join(context.root, dirname(builderDigestFile(options.runtime)));
  await writeAtomically(outDir, async (staging) => {
    await mkdir(staging, { recursive: true });
    await writeFile(join(staging, 'image.digest'), `${image}@${digest}\n`);
    await writeFile(join(staging, basename(builderRuntimeFile(options.runtime))), `${reported.runtime}\n`);
  });
});
