import { checkEngine } from '../../lib/docker';
import { BuildError } from '../../lib/errors';
import { lavaExecutor } from '../../lib/executor';
import { join } from 'node:path';
import { withTempDir } from '../../lib/fs';
import { builtImage, checkOs, checkScript, checksFor, DOCKER_ROOT, IMAGE_TYPES, IMG_CHECK_SCRIPT, parseCheckOutput, readChecks, type ImageRecord, type ImageType } from '../../lib/images';
import { imgCheckScript, opensslShim, runImgCheck } from '../../lib/img-check';
import { platformOf } from '../../lib/platform';
import { run } from '../../lib/process';
import { readVersion } from '../../lib/version';
import type { DockerCheckExecutorSchema } from './schema';

export default lavaExecutor<DockerCheckExecutorSchema>(async (options, context) => {
  const dockerRoot = options.dockerRoot ?? DOCKER_ROOT;
  checkOs(context.root, options.os, dockerRoot);
  const types = (options.types ?? IMAGE_TYPES) as ImageType[];
  const platforms = (options.platforms ?? ['linux/amd64', 'linux/arm64']).map(platformOf);
  const version = readVersion(context.root).num;
  await checkEngine();

  const script = imgCheckScript(context.root, dockerRoot);
  if (script) {
    // make's check: per platform, per type, the tree's own script against the image in the engine.
    const env = await withTempDir('lava-img-check', async (tmp) => {
      const shim = await opensslShim(join(tmp, 'bin'));
      const records = new Map<ImageType, ImageRecord>();
      for (const type of types) records.set(type, await builtImage(context.root, options.os, type));
      const runs = [];
      for (const platform of platforms) {
        for (const type of types) runs.push(await runImgCheck(context.root, dockerRoot, records.get(type)!, type, platform, shim));
      }
      return runs;
    });
    for (const r of env) console.log(`${r.ok ? '✔' : '✖'} ${options.os} ${r.type} ${r.platform.docker}: ${r.summary}`);
    const bad = env.filter((r) => !r.ok).map((r) => `${r.type} on ${r.platform.docker}`);
    if (bad.length) {
      throw new BuildError(`${IMG_CHECK_SCRIPT} failed for ${options.os}: ${bad.join(', ')}`, { fix: `fix ${dockerRoot}/os/${options.os}, then npx nx run docker-${options.os}:check` });
    }
    console.log(`All checks passed for ${options.os}: ${types.join(', ')} on ${platforms.map((p) => p.docker).join(', ')} (${dockerRoot}/${IMG_CHECK_SCRIPT}).`);
    return;
  }

  const file = readChecks(context.root, dockerRoot);
  const failed: string[] = [];
  for (const type of types) {
    const record = await builtImage(context.root, options.os, type);
    for (const platform of platforms) {
      const checks = checksFor(type, file, platform, version);
      const ran = await run('docker', ['run', '--rm', '--platform', platform.docker, `${record.image}@${record.digest}`, 'sh', '-c', checkScript(checks)], {
        stream: false,
        label: `running ${record.image} on ${platform.docker}`,
      });
      for (const result of parseCheckOutput(checks, ran.stdout)) {
        console.log(`${result.ok ? '✔' : '✖'} ${options.os} ${type} ${platform.docker} ${result.name}: ${result.output}`);
        if (!result.ok) failed.push(`${result.name} on ${platform.docker} (${type})`);
      }
    }
  }
  if (failed.length) {
    throw new BuildError(`image check failed: ${failed.join(', ')}`, { fix: `fix ${dockerRoot}/os/${options.os}, then npx nx run docker-${options.os}:check` });
  }
  console.log(`All checks passed for ${options.os}: ${types.join(', ')} on ${platforms.map((p) => p.docker).join(', ')}.`);
});
