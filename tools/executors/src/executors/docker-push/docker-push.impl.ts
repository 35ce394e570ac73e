import { checkEngine } from '../../lib/docker/cli';
import { lavaExecutor } from '../../lib/core/executor';
import { checkOs, DOCKER_ROOT, IMAGE_TYPES, type ImageType } from '../../lib/images/build';
import { builtImage, copyImage } from '../../lib/images/built-image';
import type { DockerPushExecutorSchema } from './schema';

export default lavaExecutor<DockerPushExecutorSchema>(async (options, context) => {
  const dockerRoot = options.dockerRoot ?? DOCKER_ROOT;
  checkOs(context.root, options.os, dockerRoot);
  const registry = options.registry ?? 'ghcr.io';
  const prefix = options.prefix ?? 'jin-gizmo';
  const types = (options.types ?? IMAGE_TYPES) as ImageType[];
  for (const type of types) await builtImage(context.root, options.os, type);
  await checkEngine();
  for (const type of types) {
    const pushed = await copyImage(context.root, options.os, type, { registry, prefix, fix: `docker login ${registry}` });
    console.log(`Pushed ${pushed.join(', ')}`);
  }
});
