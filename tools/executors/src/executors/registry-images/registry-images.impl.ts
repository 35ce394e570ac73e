import { lavaExecutor } from '../../lib/executor';
import { checkRegistry, formatImages, listImages } from '../../lib/registry';
import type { RegistryImagesExecutorSchema } from './schema';

export default lavaExecutor<RegistryImagesExecutorSchema>(async (options) => {
  await checkRegistry();
  const images = await listImages();
  console.log(options.json ? JSON.stringify(images, null, 2) : formatImages(images));
});
