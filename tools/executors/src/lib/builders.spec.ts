import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builderDigestFile, buildersOptionsOf, checkBuilder, deprecationOf, expectedRuntime, knownBuilders, pinnedBuilder, variantBundle } from './builders';

async function workspace(dockerfiles: string[]): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'builders-spec-'));
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
