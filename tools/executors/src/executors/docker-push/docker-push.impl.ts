import { checkEngine } from '../../lib/docker/cli';
import { lavaExecutor } from '../../lib/core/executor';
import { builtImage, checkOs, copyImage, DOCKER_ROOT } from '../../lib/images/build';
import { imageTypes } from '../../lib/images/image-type';
import type { DockerPushExecutorSchema } from './schema';

export default lavaExecutor<DockerPushExecutorSchema>(async (options, context) => {
  const dockerRoot = options.dockerRoot ?? DOCKER_ROOT;
  checkOs(context.root, options.os, dockerRoot);
  const registry = options.registry ?? 'ghcr.io';
  const prefix = options.prefix ?? 'jin-gizmo';
  const types = imageTypes(options.types);
  for (const type of types) await builtImage(context.root, options.os, type);
  await checkEngine();
  for (const type of types) {
    const pushed = await copyImage(context.root, options.os, type, { registry, prefix, fix: `docker login ${registry}` });
    console.log(`Pushed ${pushed.join(', ')}`);
  }
});
