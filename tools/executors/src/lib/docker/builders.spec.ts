import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import {
  builderDigestFile, builderFacts, buildersOptionsOf, checkBuilder, declaresIndexArg, deprecationOf, expectedRuntime, includedBuilders, indexDelivery,
  knownBuilders, matchBuilder, mountsIndexSecret, pinnedBuilder, variantBundle,
} from './builders';
import { buildxBuildArgs } from './cli';
import { platformOf } from '../core/platform';
import { redactUrl } from '../core/redact';
import { tempDir } from '../../testing/temp-dir';

async function workspace(dockerfiles: string[]): Promise<string> {
  const root = tempDir('builders-spec-');
  await mkdir(join(root, 'etc/builders'), { recursive: true });
  for (const f of dockerfiles) await writeFile(join(root, 'etc/builders', f), 'FROM scratch\n');
  return root;
}

describe('deprecationOf', () => {
  it.each([
    ['# deprecated: Python 3.9 is past its end of life\nFROM x', 'Python 3.9 is past its end of life'],
    ['FROM x\n# Deprecated\n', ''],
    ['FROM x\n# a builder that is not deprecated at all\n', undefined],
  ])('%j → %j', (text, expected) => {
    expect(deprecationOf(text)).toBe(expected);
  });
});

describe('knownBuilders / checkBuilder', () => {
  it('lists the Dockerfiles by any name, sorted, ignoring other files', async () => {
    const root = await workspace(['rocky9-p3.9.Dockerfile', 'amzn2023-py3.13.Dockerfile', 'custom.Dockerfile', 'README.md']);
    expect(knownBuilders(root)).toEqual(['amzn2023-py3.13', 'custom', 'rocky9-p3.9']);
    expect(() => checkBuilder(root, 'rocky9-p3.9')).not.toThrow();
    expect(() => checkBuilder(root, 'custom')).not.toThrow();
  });

  it('names the known builders and where they come from when one is unknown', async () => {
    const root = await workspace(['amzn2023-py3.13.Dockerfile']);
    expect(() => checkBuilder(root, 'amzn2023-py3.14')).toThrow(
      'unknown builder "amzn2023-py3.14"; known: amzn2023-py3.13; run: ls etc/builders (one <name>.Dockerfile per builder)',
    );
  });
});

describe('expectedRuntime', () => {
  it.each([
    ['amzn2023-py3.13', 'amzn2023-py3.13'],
    ['rocky9-p3.9', 'rocky9-py3.9'],
    ['rocky9-python3.12', 'rocky9-py3.12'],
    ['custom', undefined],
    ['amzn2023', undefined],
  ])('%s reads as %s', (name, runtime) => {
    expect(expectedRuntime(name)?.name).toBe(runtime);
  });

  it('takes the configured runtime over the name', () => {
    expect(expectedRuntime('custom', { custom: 'debian13-py3.13' })).toEqual({ name: 'debian13-py3.13', os: 'debian13', python: '3.13' });
    expect(() => expectedRuntime('custom', { custom: 'debian' })).toThrow('names "debian" for custom, which is not <os>-py<X.Y>');
  });
});

describe('variantBundle', () => {
  it('is make’s path when the runtime is known before the build', () => {
    const v = variantBundle('rocky9-p3.9', expectedRuntime('rocky9-p3.9'), 'aarch64', '8.2.0');
    expect(v.declared).toBe('dist/pkg/rocky9/lava-8.2.0-rocky9-py3.9-aarch64.tar.bz2');
  });

  it('is a glob in the builder’s own folder otherwise, the file named after what the container reports', () => {
    const v = variantBundle('custom', undefined, 'x86_64', '8.2.0');
    expect(v.declared).toBe('dist/pkg/custom/lava-8.2.0-*-x86_64.tar.bz2');
    expect(v.file({ name: 'debian13-py3.13', os: 'debian13', python: '3.13' })).toBe('dist/pkg/custom/lava-8.2.0-debian13-py3.13-x86_64.tar.bz2');
  });
});

describe('buildersOptionsOf', () => {
  it('finds the builders plugin entry among nx.json plugins', () => {
    const plugins = ['./tools/executors/src/plugins/cfn.ts', { plugin: './tools/executors/src/plugins/builders.ts', options: { buildersDir: 'x/b' } }];
    expect(buildersOptionsOf({ plugins })).toEqual({ buildersDir: 'x/b' });
    expect(buildersOptionsOf({})).toEqual({});
  });
});

describe('pinnedBuilder', () => {
  it('names the target to run when the builder was never built', async () => {
    const root = await workspace(['amzn2023-py3.13.Dockerfile']);
    await expect(pinnedBuilder(root, 'amzn2023-py3.13')).rejects.toThrow(
      'builder image for amzn2023-py3.13 has not been built; run: npx nx run builder-amzn2023-py3.13:build',
    );
  });

  it('records digests under dist/builders/<runtime>/', () => {
    expect(builderDigestFile('rocky9-py3.9')).toBe('dist/builders/rocky9-py3.9/image.digest');
  });
});

describe('deprecated and left-out builders (the plugin options, defaults as the lava guide says)', () => {
  it('matches a pattern against the file name or the runtime it reads as', () => {
    expect(matchBuilder({ '*-py3.9': 'old' }, 'rocky9-p3.9', 'rocky9-py3.9')).toBe('old');
    expect(matchBuilder({ 'rocky9-*': 'rocky' }, 'rocky9-p3.9')).toBe('rocky');
    expect(matchBuilder({ '*-py3.9': 'old' }, 'amzn2023-py3.13', 'amzn2023-py3.13')).toBeUndefined();
    expect(matchBuilder({ 'a.b': 'dot is literal' }, 'axb')).toBeUndefined();
  });

  it.each([
    ['amzn2023-py3.9', true, false],
    ['rocky9-p3.9', true, false],
    ['amzn2023-py3.13', false, false],
    ['amzn2023-py3.8', false, true],
  ])('by default %s: deprecated %s, left out %s', (name, deprecated, excluded) => {
    const facts = builderFacts(name, 'FROM x\n', {});
    expect(facts.deprecated !== undefined).toBe(deprecated);
    expect(facts.excluded !== undefined).toBe(excluded);
  });

  it('takes the Dockerfile’s own marker and the nx.json lists over the defaults', () => {
    expect(builderFacts('amzn2023-py3.13', '# deprecated: going\nFROM x\n', {}).deprecated).toBe('going');
    expect(builderFacts('amzn2023-py3.9', 'FROM x\n', { deprecated: {} }).deprecated).toBeUndefined();
    expect(builderFacts('amzn2023-py3.8', 'FROM x\n', { exclude: {} }).excluded).toBeUndefined();
  });

  it('leaves the excluded builders out of the graph’s list', async () => {
    const root = await workspace(['amzn2023-py3.8.Dockerfile', 'amzn2023-py3.13.Dockerfile', 'rocky9-p3.9.Dockerfile']);
    expect(includedBuilders(root, {})).toEqual(['amzn2023-py3.13', 'rocky9-p3.9']);
    // The option replaces the defaults: py3.8 is back.
    expect(includedBuilders(root, { exclude: { 'rocky9-*': 'gone' } })).toEqual(['amzn2023-py3.13', 'amzn2023-py3.8']);
  });
});

describe('the package index in a builder build', () => {
  const withArg = 'FROM x\nARG PIP_INDEX_URL\nRUN export PIP_INDEX_URL="${PIP_INDEX_URL}"; pip install y\n';
  const withSecret = 'FROM x\nRUN --mount=type=secret,id=PIP_INDEX_URL pip install y\n';

  it('tells an ARG from a secret mount', () => {
    expect([declaresIndexArg(withArg), mountsIndexSecret(withArg)]).toEqual([true, false]);
    expect([declaresIndexArg(withSecret), mountsIndexSecret(withSecret)]).toEqual([false, true]);
    expect(declaresIndexArg('ARG PIP_INDEX_URL_OTHER\n')).toBe(false);
  });

  it('passes nothing without an index', () => {
    expect(indexDelivery(withArg, 'f', undefined, '')).toEqual({ buildArgsFromEnv: [], secretsFromEnv: [] });
  });

  it('gives an ARG Dockerfile a build argument by name, and a secret Dockerfile the secret', () => {
    expect(indexDelivery(withArg, 'f', 'http://10.0.0.1/simple', '')).toEqual({ buildArgsFromEnv: ['PIP_INDEX_URL'], secretsFromEnv: [] });
    expect(indexDelivery(withSecret, 'f', 'http://10.0.0.1/simple', '')).toEqual({ buildArgsFromEnv: [], secretsFromEnv: ['PIP_INDEX_URL'] });
  });

  it('warns in one redacted line when a build argument carries credentials', () => {
    const url = 'https://alice:s3cr3t-pass@pypi.example.com/simple';
    const d = indexDelivery(withArg, 'etc/builders/a.Dockerfile', url, redactUrl(url));
    expect(d.warning).toMatch(/^⚠ PIP_INDEX_URL \(https:\/\/\*\*\*@pypi\.example\.com\/simple\) carries credentials and etc\/builders\/a\.Dockerfile takes it as ARG PIP_INDEX_URL, so they will be visible in the image history/);
    expect(d.warning).not.toContain('s3cr3t');
    expect(d.warning).not.toContain('\n');
    expect(indexDelivery(withSecret, 'f', url, redactUrl(url)).warning).toBeUndefined();
  });

  const real = resolve(__dirname, '../../../../../../shared/upstream/lava/etc/builders');
  it.skipIf(!existsSync(real))('gives every real builder (ARG PIP_INDEX_URL) the index as a build argument on the argv, by name only', () => {
    for (const name of ['amzn2023-py3.8', 'amzn2023-py3.9', 'amzn2023-py3.11', 'amzn2023-py3.12', 'amzn2023-py3.13', 'rocky9-p3.9']) {
      const url = 'https://u:pw-123456@pypi.example.com/simple';
      const d = indexDelivery(readFileSync(`${real}/${name}.Dockerfile`, 'utf8'), name, url, redactUrl(url));
      const args = buildxBuildArgs({ dockerfile: `${name}.Dockerfile`, context: '.', tags: ['t'], platforms: [platformOf('amd64')], metadataFile: 'm', ...d });
      expect(args.join(' '), name).toContain('--build-arg PIP_INDEX_URL .');
      expect(args.join(' ')).not.toContain('pw-123456');
      expect(d.warning, name).toBeDefined();
    }
  });
});
