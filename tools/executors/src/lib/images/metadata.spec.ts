import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp-dir';
import { imageAnnotations, imageLabels, MAKE_IMAGE_METADATA, readImageMetadata, type ImageMetadata } from './metadata';

const ROOT = resolve(__dirname, '../../../../..');

describe('image labels and push defaults', () => {
  const standIn = readImageMetadata(ROOT, 'packages/docker');
  const withoutFile = readImageMetadata(tempDir('image-metadata-'), 'docker');

  it.each([
    ['packages/docker/image-metadata.json', standIn],
    ['make’s values, for a tree without the file', withoutFile],
  ] as const)('labels and annotations are make’s: title (labels only), its description word for word, IMAGE_ATTRS (%s)', (_, metadata: ImageMetadata) => {
    const ATTRS = {
      'org.opencontainers.image.url': 'https://github.com/jin-gizmo/lava',
      'org.opencontainers.image.source': 'https://github.com/jin-gizmo/lava',
      'org.opencontainers.image.documentation': 'https://jin-gizmo.github.io/lava',
      'org.opencontainers.image.licenses': 'BSD-3-Clause',
    };
    const description = 'Full installation of lava, including external components required to use CLI based connectors.';
    expect(imageLabels(metadata, 'ubuntu24', 'full')).toEqual({ 'org.opencontainers.image.title': 'Lava full (ubuntu24)', 'org.opencontainers.image.description': description, ...ATTRS });
    expect(imageAnnotations(metadata, 'full')).toEqual({ 'org.opencontainers.image.description': description, ...ATTRS });
    expect(imageLabels(metadata, 'amzn2023', 'base')['org.opencontainers.image.description']).toBe(
      'Base installation of lava, without external components required to use CLI based connectors.',
    );
    expect(metadata.push).toEqual({ registry: 'ghcr.io', prefix: 'jin-gizmo' });
  });

  it('a tree without the file gets make’s values', () => {
    expect(withoutFile).toBe(MAKE_IMAGE_METADATA);
  });

  it('takes a tree’s own values', () => {
    const root = tempDir('image-metadata-');
    mkdirSync(join(root, 'docker'));
    const own = { labels: { title: '{os}:{type}', description: { base: 'b', full: 'f' }, attributes: { 'x.y': 'z' } }, push: { registry: 'quay.io', prefix: 'us' } };
    writeFileSync(join(root, 'docker/image-metadata.json'), JSON.stringify(own));
    const metadata = readImageMetadata(root, 'docker');
    expect(metadata).toEqual(own);
    expect(imageLabels(metadata, 'rocky9', 'base')).toEqual({ 'org.opencontainers.image.title': 'rocky9:base', 'org.opencontainers.image.description': 'b', 'x.y': 'z' });
  });

  it('names what is wrong with the file in one line', () => {
    const root = tempDir('image-metadata-');
    mkdirSync(join(root, 'docker'));
    const file = join(root, 'docker/image-metadata.json');
    const fail = (content: string) => {
      writeFileSync(file, content);
      return () => readImageMetadata(root, 'docker');
    };
    expect(fail('{"labels": \n')).toThrow(/^docker\/image-metadata\.json:\d+(:\d+)?: invalid JSON: .*; run: fix docker\/image-metadata\.json$/);
    expect(fail('{}')).toThrow('docker/image-metadata.json: "labels.title" must be a string such as "Lava {type} ({os})"; run: fix docker/image-metadata.json');
    const labels = { title: 't', description: { base: 'b' }, attributes: {} };
    expect(fail(JSON.stringify({ labels }))).toThrow('"labels.description" must give each image type a string (base, full)');
    expect(fail(JSON.stringify({ labels: { ...labels, description: { base: 'b', full: 'f' }, attributes: { a: 1 } } }))).toThrow('"labels.attributes" must be an object of strings');
    expect(fail(JSON.stringify({ labels: { ...labels, description: { base: 'b', full: 'f' } }, push: { registry: 'r' } }))).toThrow('"push" must name a "registry" and a "prefix"');
  });
});
