import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildArgs,
  byteOrder,
  concatenateChapters,
  copyResolved,
  firstProblem,
  guideEnv,
  mkdocsWarnings,
  serveArgs,
  syncTree,
  templateFiles,
} from './mkdocs';
import { tempDir } from '../../testing/temp-dir';

const temp = () => tempDir('lava-mkdocs-lib-');
function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

describe('concatenateChapters', () => {
  it('joins every .md in byte order of its path, each after a blank line, as make did', async () => {
    const dir = temp();
    write(dir, {
      '07-Conn/mysql_aurora.md': 'B\n',
      '07-Conn/mysql.md': 'A\n',
      '07-Conn.md': 'top\n',
      '01-About.md': '# About\n',
      '02-empty.md': '',
      'img/notes.txt': 'not markdown\n',
    });
    const { files, markdown } = await concatenateChapters(dir);
    // "." (0x2e) < "/" (0x2f) and "." < "_" (0x5f): a glibc locale sort puts mysql_aurora first
    expect(files).toEqual(['01-About.md', '02-empty.md', '07-Conn.md', '07-Conn/mysql.md', '07-Conn/mysql_aurora.md']);
    expect(markdown).toBe('\n# About\n\ntop\n\nA\n\nB\n');
  });

  it('orders by bytes, not by locale', () => {
    expect(['redshift.md', 'redshift-serverless.md', 'Zeta.md'].sort(byteOrder)).toEqual(['Zeta.md', 'redshift-serverless.md', 'redshift.md']);
  });
});

describe('copyResolved', () => {
  it('follows symbolic links and links checked out as text files, naming each of the latter', async () => {
    const dir = temp();
    write(dir, { 'img/a.svg': '<svg/>', 'mkdocs/docs/index.md': '# Home\n', 'mkdocs/docs/img': '../../img', 'mkdocs/docs/note.txt': 'plain words' });
    symlinkSync('../../img/a.svg', join(dir, 'mkdocs/docs/logo.svg'));
    const heard: string[] = [];
    await copyResolved(join(dir, 'mkdocs'), join(dir, 'out'), (file, target) => heard.push(`${file} -> ${target}`));
    expect(readFileSync(join(dir, 'out/docs/img/a.svg'), 'utf8')).toBe('<svg/>');
    expect(readFileSync(join(dir, 'out/docs/logo.svg'), 'utf8')).toBe('<svg/>');
    expect(readFileSync(join(dir, 'out/docs/note.txt'), 'utf8')).toBe('plain words');
    expect(heard).toEqual([`${join(dir, 'mkdocs/docs/img')} -> ${join(dir, 'img')}`]);
  });
});

describe('syncTree', () => {
  it('writes only what changed and removes what is gone', async () => {
    const dir = temp();
    write(dir, { 'src/a.md': 'new', 'src/b.md': 'same', 'dest/b.md': 'same', 'dest/old.md': 'gone' });
    await syncTree(join(dir, 'src'), join(dir, 'dest'));
    expect(readFileSync(join(dir, 'dest/a.md'), 'utf8')).toBe('new');
    expect(() => readFileSync(join(dir, 'dest/old.md'))).toThrow();
  });
});

describe('templateFiles', () => {
  it('names pages after the template file and orders them by bytes', () => {
    const names = templateFiles(['/d/lava-realm.cfn.json', '/d/lava-Zeta.cfn.json', '/d/lava-common.cfn.json']);
    expect(names.map((n) => n.name)).toEqual(['lava-Zeta.cfn.json', 'lava-common.cfn.json', 'lava-realm.cfn.json']);
  });
});

describe('mkdocs output', () => {
  const output = [
    'INFO    -  Cleaning site directory',
    "\x1b[33mWARNING \x1b[0m-  Doc file 'index.md' contains a link 'nope.md', but the target is not found among documentation files.",
    'WARNING -  The following pages exist in the docs directory, but are not included in the "nav" configuration:',
    '  - orphan.md',
    '  - other.md',
    'ERROR   -  griffe: lava/lib/decorators.py:80: Failed to get annotation expression',
  ].join('\n');

  it('lists the warnings, with the pages a warning names, and the errors mkdocs carried on after', () => {
    expect(mkdocsWarnings(output)).toEqual([
      "Doc file 'index.md' contains a link 'nope.md', but the target is not found among documentation files",
      'The following pages exist in the docs directory, but are not included in the "nav" configuration: orphan.md, other.md',
    ]);
    expect(mkdocsWarnings(output, 'ERROR')).toEqual(['griffe: lava/lib/decorators.py:80: Failed to get annotation expression']);
  });

  it('names an error first, else the first warning, else a Python exception', () => {
    expect(firstProblem(output)).toBe('griffe: lava/lib/decorators.py:80: Failed to get annotation expression');
    expect(firstProblem(output.split('\nERROR')[0])).toBe(
      "Doc file 'index.md' contains a link 'nope.md', but the target is not found among documentation files",
    );
    expect(firstProblem('Traceback (most recent call last):\n  x\nyaml.scanner.ScannerError: bad indent')).toBe('yaml.scanner.ScannerError: bad indent');
    expect(firstProblem('boom')).toBeUndefined();
  });
});

describe('mkdocs command lines and environment', () => {
  it('builds strictly only when asked', () => {
    expect(buildArgs('/w/mkdocs.yml', '/w/dist/doc/site')).toEqual(['build', '--clean', '--config-file', '/w/mkdocs.yml', '--site-dir', '/w/dist/doc/site']);
    expect(buildArgs('/w/mkdocs.yml', '/s', true)).toContain('--strict');
  });

  it('serves with live reload on the given address', () => {
    expect(serveArgs('/w/mkdocs.yml', '127.0.0.1:8123')).toEqual(['serve', '--config-file', '/w/mkdocs.yml', '--dev-addr', '127.0.0.1:8123', '--livereload']);
  });

  it('gives the footer "v<version>", puts the lava package on PYTHONPATH and fixes the build date', () => {
    const env = guideEnv({ version: { num: '8.2.0', name: 'Kilauea', full: '8.2.0 (Kilauea)' }, lavaPath: '/w/packages/lava' });
    expect(env.md_footer_rhs).toBe('v8.2.0 (Kilauea)');
    expect(env.PYTHONPATH).toBe('/w/packages/lava');
    expect(env.SOURCE_DATE_EPOCH).toMatch(/^\d+$/);
  });
});
