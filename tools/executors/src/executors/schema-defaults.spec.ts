// A schema's default is JSON and cannot import the library's constant: each default that
// restates one is held to it here, so the two cannot drift apart.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLATFORMS } from '../lib/core/platform';
import { DEFAULT_BUILDERS_DIR } from '../lib/docker/builders';
import { BUILDER_REPOSITORY } from '../lib/docker/cli';
import { DOCKER_ROOT, IMAGE_TYPES } from '../lib/images/build';
import { ORACLE_DIR } from '../lib/images/oracle';
import { LAMBDA_DEFAULTS } from '../lib/python/lambda';
import { BUILD_CONSTRAINTS_FILE } from '../lib/python/pip';

type Schema = { properties: Record<string, { default?: unknown }> };
const schemas = new Map(
  readdirSync(__dirname, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => [e.name, JSON.parse(readFileSync(join(__dirname, e.name, 'schema.json'), 'utf8')) as Schema]),
);
const defaultOf = (executor: string, option: string) => schemas.get(executor)?.properties[option]?.default;
/** [executor, default] of every schema whose `option` has a default. */
const defaults = (option: string, only?: RegExp) =>
  [...schemas].filter(([name, s]) => s.properties[option]?.default !== undefined && (!only || only.test(name))).map(([name]) => [name, defaultOf(name, option)]);

describe('schema defaults restate the library', () => {
  it('platforms: every platform', () => {
    const all = PLATFORMS.map((p) => p.docker);
    expect(defaults('platforms')).toEqual(['builder-image', 'docker-check', 'docker-image'].map((name) => [name, all]));
  });

  it('the docker images: DOCKER_ROOT, IMAGE_TYPES, ORACLE_DIR', () => {
    for (const [, value] of defaults('dockerRoot')) expect(value).toBe(DOCKER_ROOT);
    for (const [, value] of defaults('types', /^docker-/)) expect(value).toEqual([...IMAGE_TYPES]);
    expect(defaultOf('docker-image', 'oracleDir')).toBe(ORACLE_DIR);
    expect(defaultOf('oracle-sync', 'directory')).toBe(ORACLE_DIR);
  });

  it('builders: BUILDER_REPOSITORY under DEFAULT_BUILDERS_DIR', () => {
    expect(defaultOf('builder-image', 'repository')).toBe(BUILDER_REPOSITORY);
    expect(defaultOf('builder-image', 'context')).toBe(DEFAULT_BUILDERS_DIR);
  });

  it('bundles: LAMBDA_DEFAULTS and BUILD_CONSTRAINTS_FILE', () => {
    for (const option of ['runtime', 'platform', 'lavaPackage', 'outputPath'] as const) {
      expect(defaultOf('lambda-bundle', option)).toBe(LAMBDA_DEFAULTS[option]);
    }
    expect(defaultOf('worker-bundle', 'buildConstraints')).toBe(BUILD_CONSTRAINTS_FILE);
  });
});
