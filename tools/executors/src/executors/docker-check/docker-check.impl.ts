import { checkEngine } from '../../lib/docker';
import { BuildError } from '../../lib/errors';
import { lavaExecutor } from '../../lib/executor';
import { builtImage, checkOs, checkScript, checksFor, DOCKER_ROOT, IMAGE_TYPES, parseCheckOutput, readChecks, type ImageType } from '../../lib/images';
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
  const file = readChecks(context.root, dockerRoot);
  await checkEngine();

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
