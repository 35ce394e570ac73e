// What the lava images say about themselves (OCI labels and annotations) and where
// `push` publishes them by default: <dockerRoot>/image-metadata.json, beside the
// Dockerfile. The real lava tree has no such file: make wrote these facts into
// docker/Makefile (IMAGE_ATTRS, each recipe's DESCRIPTION, `registry=` and
// `prefix=`), which nothing runs after adoption, so a tree without the file builds
// with make's values, kept below word for word; adding the file changes them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BuildError } from '../core/errors';
import { readJsonFile } from '../core/user-files';
import { IMAGE_TYPES, type ImageType } from './build';

export const IMAGE_METADATA_FILE = 'image-metadata.json';

export interface ImageMetadata {
  labels: {
    /** `{type}` and `{os}` are replaced; a label on the images only, as make set it. */
    title: string;
    description: Readonly<Record<ImageType, string>>;
    /** Labels on the images and annotations on the index and manifests (make's IMAGE_ATTRS). */
    attributes: Readonly<Record<string, string>>;
  };
  /** The `push` target's defaults: the registry host and the namespace under it. */
  push: { registry: string; prefix: string };
}

/** docker/Makefile's values, for a tree without image-metadata.json (the real lava tree). */
export const MAKE_IMAGE_METADATA: ImageMetadata = {
  labels: {
    title: 'Lava {type} ({os})',
    description: {
      base: 'Base installation of lava, without external components required to use CLI based connectors.',
      full: 'Full installation of lava, including external components required to use CLI based connectors.',
    },
    attributes: {
      'org.opencontainers.image.url': 'https://github.com/jin-gizmo/lava',
      'org.opencontainers.image.source': 'https://github.com/jin-gizmo/lava',
      'org.opencontainers.image.documentation': 'https://jin-gizmo.github.io/lava',
      'org.opencontainers.image.licenses': 'BSD-3-Clause',
    },
  },
  push: { registry: 'ghcr.io', prefix: 'jin-gizmo' },
};

const isString = (v: unknown): v is string => typeof v === 'string' && v !== '';
const isStringRecord = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((s) => typeof s === 'string');

/** `<dockerRoot>/image-metadata.json`, checked; make's values when the tree has none. */
export function readImageMetadata(workspaceRoot: string, dockerRoot: string): ImageMetadata {
  const shownAs = `${dockerRoot}/${IMAGE_METADATA_FILE}`;
  const path = join(workspaceRoot, shownAs);
  if (!existsSync(path)) return MAKE_IMAGE_METADATA;
  const fix = `fix ${shownAs}`;
  const data = readJsonFile<Partial<ImageMetadata> | null>(path, shownAs, fix);
  const labels = data?.labels;
  const problem = (what: string) => new BuildError(`${shownAs}: ${what}`, { fix });
  if (!isString(labels?.title)) throw problem('"labels.title" must be a string such as "Lava {type} ({os})"');
  if (!isStringRecord(labels.description) || IMAGE_TYPES.some((t) => !isString(labels.description[t]))) {
    throw problem(`"labels.description" must give each image type a string (${IMAGE_TYPES.join(', ')})`);
  }
  if (!isStringRecord(labels.attributes)) throw problem('"labels.attributes" must be an object of strings (label name: value)');
  if (!isString(data?.push?.registry) || !isString(data.push.prefix)) throw problem('"push" must name a "registry" and a "prefix"');
  return { labels: { title: labels.title, description: labels.description, attributes: labels.attributes }, push: { registry: data.push.registry, prefix: data.push.prefix } };
}

/** make's labels: the title, the description and the attributes. */
export function imageLabels(metadata: ImageMetadata, os: string, type: ImageType): Record<string, string> {
  return {
    'org.opencontainers.image.title': metadata.labels.title.replaceAll('{type}', type).replaceAll('{os}', os),
    'org.opencontainers.image.description': metadata.labels.description[type],
    ...metadata.labels.attributes,
  };
}

/** make's annotations (index and manifest): the description and the attributes, not the title. */
export function imageAnnotations(metadata: ImageMetadata, type: ImageType): Record<string, string> {
  return { 'org.opencontainers.image.description': metadata.labels.description[type], ...metadata.labels.attributes };
}
