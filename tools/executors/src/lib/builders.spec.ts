import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builderDigestFile, checkBuilderRuntime, deprecationOf, knownRuntimes, pinnedBuilder } from './builders';
import { tempDir } from './testing/temp-dir';

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

describe('knownRuntimes / checkBuilderRuntime', () => {
  it('lists the Dockerfiles, sorted, ignoring other files', async () => {
    const root = await workspace(['rocky9-py3.9.Dockerfile', 'amzn2023-py3.13.Dockerfile', 'README.md']);
    expect(knownRuntimes(root)).toEqual(['amzn2023-py3.13', 'rocky9-py3.9']);
  });

  it('names the known runtimes and where they come from when one is unknown', async () => {
    const root = await workspace(['amzn2023-py3.13.Dockerfile']);
    expect(() => checkBuilderRuntime(root, 'amzn2023-py3.14')).toThrow(
      'unknown runtime "amzn2023-py3.14"; known: amzn2023-py3.13; run: ls etc/builders (one <runtime>.Dockerfile per builder)',
    );
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
