import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { contextFiles, stageImageContext, syntaxDirective, withoutSyntaxDirective } from './context';
import { PLATFORMS } from '../core/platform';
import { tempDir } from '../../testing/temp-dir';

// A docker folder shaped like the real tree's: OS folders linking into common/, packages/
// linking to the oracle:sync folder outside docker/.
let root: string;
const D = 'packages/docker';
beforeAll(() => {
  root = tempDir('image-context-');
  const w = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  w(`${D}/common/base/base-50-install-lava.sh`, '#!/bin/bash\necho install\n');
  w(`${D}/common/full/full-20-oracle.sh`, '#!/bin/bash\necho oracle\n');
  w(`${D}/common/utils.sh`, 'utils\n');
  w(`${D}/os/deb13/from.txt`, 'localhost:5001/base/trixie-py3.13:r1\n');
  w(`${D}/os/deb13/base/base-00-build.sh`, '#!/bin/bash\n');
  w(`${D}/os/deb13/base/resources/tds.driver.template`, 'tds\n');
  w(`${D}/os/deb13/base/.hidden`, 'not copied by the shell glob\n');
  w(`${D}/os/deb13/full/full-00-build.sh`, '#!/bin/bash\n');
  symlinkSync('../../../common/base/base-50-install-lava.sh', join(root, D, 'os/deb13/base/base-50-install-lava.sh'));
  symlinkSync('../../../common/utils.sh', join(root, D, 'os/deb13/base/utils.sh'));
  symlinkSync('../../../common/full/full-20-oracle.sh', join(root, D, 'os/deb13/full/full-20-oracle.sh'));
  w('external-packages/oracle/instantclient-basiclite-linux-x64-23.8.zip', 'zip bytes\n');
  symlinkSync('instantclient-basiclite-linux-x64-23.8.zip', join(root, 'external-packages/oracle/instantclient-basiclite-linux-x64.zip'));
  mkdirSync(join(root, D, 'packages'));
  symlinkSync('../../../external-packages/oracle/instantclient-basiclite-linux-x64.zip', join(root, D, 'packages/instantclient-basiclite-linux-x64.zip'));
  for (const f of ['lava/__init__.py', 'bin/lava-x', 'etc/jinja', 'install.sh', 'lava-run', 'requirements.txt', 'requirements-extra.txt', 'requirements-build.txt']) {
    w(`packages/lava/${f}`, `${f}\n`);
  }
});

/** make's docker/Makefile recipe lines, run by bash in the docker folder. */
function makeContext(type: 'base' | 'full'): string {
  const tmp = tempDir('make-context-');
  const lines =
    type === 'base'
      ? `cp -RL os/deb13/base/* "$TMP"; touch "$TMP/lava-8.2.0.tar.bz2"`
      : `cp -RL os/deb13/full/* "$TMP"; mkdir -p "$TMP/packages"; cp -RL packages "$TMP"`;
  execFileSync('bash', ['-c', `set -e; TMP=${tmp}; ${lines}`], { cwd: join(root, D) });
  return tmp;
}

async function ours(type: 'base' | 'full'): Promise<string> {
  const scratch = tempDir('our-context-');
  await stageImageContext({
    workspaceRoot: root, dockerRoot: D, os: 'deb13', type, version: '8.2.0', workerDir: 'packages/lava',
    oracleDir: 'external-packages/oracle', platforms: PLATFORMS, into: join(scratch, 'ctx'), scratch,
  });
  return join(scratch, 'ctx');
}

describe('stageImageContext stages what make’s docker/Makefile did', () => {
  it.each(['base', 'full'] as const)('%s: the same files, links dereferenced, with the same bytes', async (type) => {
    const make = makeContext(type);
    const mine = await ours(type);
    expect(contextFiles(mine)).toEqual(contextFiles(make));
    for (const f of contextFiles(make).filter((f) => !f.endsWith('.tar.bz2'))) {
      expect(readFileSync(join(mine, f), 'utf8'), f).toBe(readFileSync(join(make, f), 'utf8'));
    }
  });

  it('base holds the worker bundle without modules (pkg.sh without -m: an empty pylib/)', async () => {
    const list = execFileSync('tar', ['-tjf', join(await ours('base'), 'lava-8.2.0.tar.bz2')], { encoding: 'utf8' }).split('\n');
    expect(list).toContain('pylib/');
    expect(list.filter((e) => e.startsWith('pylib/') && e !== 'pylib/')).toEqual([]);
    expect(list).toContain('lava/__init__.py');
  });

  it('fails in one line naming a dangling Oracle link and oracle:sync', async () => {
    symlinkSync('../../../external-packages/oracle/instantclient-sqlplus-linux-x64.zip', join(root, D, 'packages/instantclient-sqlplus-linux-x64.zip'));
    try {
      await expect(ours('full')).rejects.toThrow(`${D}/packages/instantclient-sqlplus-linux-x64.zip points at nothing; run: npx nx run oracle:sync`);
    } finally {
      rmSync(join(root, D, 'packages/instantclient-sqlplus-linux-x64.zip'));
    }
  });
});

describe('the # syntax= directive', () => {
  const real = '# syntax=docker/dockerfile:1\n# ----\n# Build a lava container.\nARG base\nFROM ${base}\n';
  it('is read from the leading comments only', () => {
    expect(syntaxDirective(real)).toBe('docker/dockerfile:1');
    expect(syntaxDirective('FROM x\n# syntax=docker/dockerfile:1\n')).toBeUndefined();
    expect(syntaxDirective('# hello\n#syntax = docker/dockerfile:1.4\nFROM x\n')).toBe('docker/dockerfile:1.4');
  });

  it('is neutralised in place, keeping every other line where it was', () => {
    const out = withoutSyntaxDirective(real);
    expect(syntaxDirective(out)).toBeUndefined();
    expect(out.split('\n').length).toBe(real.split('\n').length);
    expect(out.split('\n').slice(1)).toEqual(real.split('\n').slice(1));
  });
});
