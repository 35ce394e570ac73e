import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp-dir';
import { executorClosure, importsIn, saveStoredClosures, sourceClosure, toolingInputs, useStoredClosures } from './tooling-inputs';

const WORKSPACE = resolve(__dirname, '../../../../..');

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

describe('importsIn', () => {
  it('finds static, multi-line, re-export, dynamic and require imports, and the packages; not type-only ones nor builtins', () => {
    const source = [
      "import { a } from './a';",
      'import {',
      '  b,',
      '  type B,',
      "} from '../b';",
      "import type { C } from './c';",
      'import type {',
      '  D,',
      "} from './d';",
      "export { e } from './e';",
      "export type { F } from './f';",
      "import './g';",
      "const h = await import('./h');",
      "const i = require('./i');",
      "import { execa } from 'execa';",
      "import { join } from 'node:path';",
      "import type { ExecutorContext } from '@nx/devkit';",
      "import { logger } from '@nx/devkit';",
      "import { createNodesFromFiles } from 'nx/src/project-graph/plugins/utils';",
    ].join('\n');
    expect(importsIn(source)).toEqual({ relative: ['./a', '../b', './e', './g', './h', './i'], packages: ['execa', '@nx/devkit', 'nx'] });
  });
});

describe('sourceClosure', () => {
  it('follows imports through folders, once each, and reads a file again only when it changed', () => {
    const root = tempDir();
    write(root, {
      'src/entry.ts': "import { x } from './lib/x';\nimport { y } from './lib/y';\n",
      'src/lib/x.ts': "import { y } from './y';\nexport const x = y;\n",
      'src/lib/y.ts': 'export const y = 1;\n',
      'src/lib/unused.ts': 'export const u = 1;\n',
    });
    expect(sourceClosure(root, 'src/entry.ts')).toEqual({ files: ['src/entry.ts', 'src/lib/x.ts', 'src/lib/y.ts'], packages: [] });
    writeFileSync(join(root, 'src/lib/y.ts'), "import { u } from './unused';\nimport { parse } from 'yaml';\nexport const y = u;\n");
    utimesSync(join(root, 'src/lib/y.ts'), new Date(), new Date(Date.now() + 5_000));
    expect(sourceClosure(root, 'src/entry.ts')).toEqual({ files: ['src/entry.ts', 'src/lib/unused.ts', 'src/lib/x.ts', 'src/lib/y.ts'], packages: ['yaml'] });
  });
});

describe('executorClosure', () => {
  it('sees an executor gain an import, though the closure is kept between calls', () => {
    const root = tempDir();
    const impl = 'tools/executors/src/executors/x/x.impl.ts';
    write(root, { [impl]: "import { a } from '../../lib/a';\n", 'tools/executors/src/executors/x/schema.json': '{}', 'tools/executors/src/lib/a.ts': '', 'tools/executors/src/lib/b.ts': '' });
    expect(executorClosure(root, 'x').files).toEqual(['tools/executors/src/executors/x/schema.json', impl, 'tools/executors/src/lib/a.ts']);
    writeFileSync(join(root, impl), "import { a } from '../../lib/a';\nimport { b } from '../../lib/b';\n");
    utimesSync(join(root, impl), new Date(), new Date(Date.now() + 5_000));
    expect(executorClosure(root, 'x').files).toContain('tools/executors/src/lib/b.ts');
  });
});

describe('stored closures', () => {
  it('are read back under the same key, without a walk, and walked again under a new key', () => {
    const root = tempDir();
    const impl = 'tools/executors/src/executors/x/x.impl.ts';
    write(root, { [impl]: "import { a } from '../../lib/a';\n", 'tools/executors/src/lib/a.ts': '', 'tools/executors/src/lib/b.ts': '' });
    const file = join(root, '.nx/workspace-data/closures.json');
    useStoredClosures(root, file, 'k1');
    const first = executorClosure(root, 'x');
    expect(first.files).toContain('tools/executors/src/lib/a.ts');
    saveStoredClosures();
    // What another process finds: the closure under its key.
    expect(JSON.parse(readFileSync(file, 'utf8')).closures.x).toEqual(first);

    // Under the same key the sources are taken as unchanged (the caller's key must change with them).
    writeFileSync(join(root, impl), "import { b } from '../../lib/b';\n");
    expect(executorClosure(root, 'x')).toEqual(first);
    useStoredClosures(root, file, 'k2');
    expect(executorClosure(root, 'x').files).toContain('tools/executors/src/lib/b.ts');
    saveStoredClosures();

    // A later process under the key it was stored with reads it, walking nothing.
    writeFileSync(file, JSON.stringify({ key: JSON.parse(readFileSync(file, 'utf8')).key.replace('k2', 'k3'), closures: { x: { files: ['stored'], packages: [] } } }));
    useStoredClosures(root, file, 'k3');
    expect(executorClosure(root, 'x').files).toEqual(['stored']);
  });
});

describe('the executors of this workspace', () => {
  it('spell-check runs the spell checker and no archive or docker code', () => {
    const { files } = executorClosure(WORKSPACE, 'spell-check');
    expect(files).toContain('tools/executors/src/executors/spell-check/spell-check.impl.ts');
    expect(files).toContain('tools/executors/src/executors/spell-check/schema.json');
    expect(files).toContain('tools/executors/src/lib/docs/spell.ts');
    expect(files.filter((f) => /lib\/(core\/archive|docker\/)/.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.spec.ts') || f.includes('/testing/'))).toEqual([]);
  });

  it('every archive-writing executor runs the archive writer', () => {
    for (const name of ['worker-bundle', 'foreign-bundle', 'lambda-bundle', 'sdist', 'job-framework', 'mkdocs-build']) {
      expect(executorClosure(WORKSPACE, name).files, name).toContain('tools/executors/src/lib/core/archive.ts');
    }
  });

  it('gives Nx workspace-rooted files with the loader, and the npm packages with swc', () => {
    const inputs = toolingInputs(WORKSPACE, 'job-framework');
    const files = inputs.filter((i) => typeof i === 'string');
    expect(files).toContain('{workspaceRoot}/tools/executors/src/executors/job-framework/job-framework.impl.ts');
    expect(files).toContain('{workspaceRoot}/tools/executors/executors.js');
    expect(files.every((i) => i.startsWith('{workspaceRoot}/tools/executors/'))).toBe(true);
    const packages = inputs.find((i) => typeof i === 'object');
    expect(packages).toEqual({ externalDependencies: expect.arrayContaining(['@swc/core', 'yazl']) });
  });
});
