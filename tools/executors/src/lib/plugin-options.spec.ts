import { describe, expect, it } from 'vitest';
import { pluginOptionsOf } from './plugin-options';

describe('pluginOptionsOf', () => {
  const nxJson = {
    plugins: [
      './tools/executors/src/plugins/cfn.ts',
      { plugin: './tools/executors/src/plugins/builders.ts', options: { buildersDir: 'etc/builders' } },
      { plugin: './tools/executors/src/plugins/docker-images.ts', options: { dockerRoot: 'fixtures/docker' } },
    ],
  };

  it('finds a plugin entry by its file name and returns its options', () => {
    expect(pluginOptionsOf<{ dockerRoot: string }>(nxJson, 'docker-images')).toEqual({ dockerRoot: 'fixtures/docker' });
    expect(pluginOptionsOf(nxJson, 'builders')).toEqual({ buildersDir: 'etc/builders' });
  });

  it('gives {} for a plugin listed without options, one not listed, or no nx.json', () => {
    expect(pluginOptionsOf(nxJson, 'cfn')).toEqual({});
    expect(pluginOptionsOf(nxJson, 'images')).toEqual({});
    expect(pluginOptionsOf(undefined, 'builders')).toEqual({});
  });
});
