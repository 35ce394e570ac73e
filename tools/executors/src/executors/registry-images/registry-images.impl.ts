import { lavaExecutor } from '../../lib/core/executor';
import { checkRegistry, formatImages, listImages } from '../../lib/docker/registry';
import type { RegistryImagesExecutorSchema } from './schema';

export default lavaExecutor<RegistryImagesExecutorSchema>(async (options) => {
  await checkRegistry();
  const images = await listImages();
  console.log(options.json ? JSON.stringify(images, null, 2) : formatImages(images));
});
