import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-dir';
import { createNodesV2 } from './tooling';

describe('tooling plugin', () => {
  it('names, for a project.json, the files each of our executors it uses runs; other executors get nothing', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'docs'));
    writeFileSync(
      join(root, 'docs/project.json'),
      JSON.stringify({ targets: { build: { executor: './tools/executors:mkdocs-build' }, other: { executor: 'nx:run-commands' } } }),
    );
    mkdirSync(join(root, 'server'));
    writeFileSync(join(root, 'server/project.json'), JSON.stringify({ targets: { build: { executor: 'nx:run-commands' } } }));
    const results = await createNodesV2[1](['docs/project.json', 'server/project.json'], {}, { nxJsonConfiguration: {}, workspaceRoot: root } as never);
    const byFile = Object.fromEntries(results);
    expect(byFile['server/project.json']).toEqual({});
    const namedInputs = byFile['docs/project.json'].projects!.docs.namedInputs!;
    expect(Object.keys(namedInputs)).toEqual(['tooling-mkdocs-build']);
    const files = namedInputs['tooling-mkdocs-build'].filter((i): i is string => typeof i === 'string');
    expect(files).toContain('{workspaceRoot}/tools/executors/src/lib/docs/mkdocs.ts');
    expect(files).not.toContain('{workspaceRoot}/tools/executors/src/lib/docs/spell.ts');
  });
});
