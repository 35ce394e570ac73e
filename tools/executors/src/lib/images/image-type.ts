// The image types an option names, checked: a schema enum guards the CLI, but
// project.json and nx.json options reach an executor unchecked.
import { BuildError } from '../core/errors';
import { IMAGE_TYPES, type ImageType } from './build';

export function imageType(value: string): ImageType {
  if (!(IMAGE_TYPES as readonly string[]).includes(value)) {
    throw new BuildError(`unknown image type "${value}"; known: ${IMAGE_TYPES.join(', ')}`);
  }
  return value as ImageType;
}

/** The types named, in their order; every type when none is named. */
export function imageTypes(values: readonly string[] | undefined): ImageType[] {
  return (values ?? IMAGE_TYPES).map(imageType);
}
