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

  it('finds it by its JavaScript entry too (nx.json names tools/executors/plugins/<name>.js)', () => {
    const js = { plugins: [{ plugin: './tools/executors/plugins/builders.js', options: { buildersDir: 'x/b' } }] };
    expect(pluginOptionsOf(js, 'builders')).toEqual({ buildersDir: 'x/b' });
  });

  it('gives {} for a plugin listed without options, one not listed, or no nx.json', () => {
    expect(pluginOptionsOf(nxJson, 'cfn')).toEqual({});
    expect(pluginOptionsOf(nxJson, 'images')).toEqual({});
    expect(pluginOptionsOf(undefined, 'builders')).toEqual({});
  });
});
