import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp-dir';
import { collectEntries, writeZip } from '../core/archive';
import { artefactHash, compareArtefacts, firstTreeDifference, listArtefacts, taskOutputsFromGraph } from './artefacts';

function files(root: string, content: Record<string, string>): string {
  for (const [path, text] of Object.entries(content)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('taskOutputsFromGraph', () => {
  it('takes each discrete task with its outputs relative to the workspace root', () => {
    const graph = {
      tasks: {
        tasks: {
          'cfn:build': { outputs: ['dist/cfn/*.cfn.json'] },
          'docs:build': { outputs: ['{workspaceRoot}/dist/doc'] },
          'registry:serve': { outputs: [], continuous: true },
          'python-env:init': {},
        },
      },
    };
    expect(taskOutputsFromGraph(graph)).toEqual([
      { id: 'cfn:build', outputs: ['dist/cfn/*.cfn.json'] },
      { id: 'docs:build', outputs: ['dist/doc'] },
      { id: 'python-env:init', outputs: [] },
    ]);
    expect(() => taskOutputsFromGraph({}, 'g.json')).toThrow(/g\.json has no tasks\.tasks/);
  });
});

describe('listArtefacts', () => {
  it('expands globs in either clone, keeps a directory output whole, sorts by path', () => {
    const a = files(tempDir(), { 'dist/cfn/b.cfn.json': '{}', 'dist/doc/index.html': 'x', 'dist/doc/css/s.css': 'y' });
    const b = files(tempDir(), { 'dist/cfn/a.cfn.json': '{}', 'dist/cfn/b.cfn.json': '{}' });
    const tasks = [
      { id: 'cfn:build', outputs: ['dist/cfn/*.cfn.json'] },
      { id: 'docs:build', outputs: ['dist/doc'] },
      { id: 'jinlava:build', outputs: ['dist/jinlava/jinlava-1.tar.gz'] },
    ];
    expect(listArtefacts([a, b], tasks)).toEqual([
      { path: 'dist/cfn/a.cfn.json', task: 'cfn:build', kind: 'file' },
      { path: 'dist/cfn/b.cfn.json', task: 'cfn:build', kind: 'file' },
      { path: 'dist/doc', task: 'docs:build', kind: 'tree' },
    ]);
  });
});

describe('comparing two builds', () => {
  it('hashes a directory by its paths and contents, not by its files\' times or creation order', async () => {
    const a = files(tempDir(), { 'site/a.html': '1', 'site/b/c.html': '2' });
    const b = files(tempDir(), { 'site/b/c.html': '2', 'site/a.html': '1' });
    expect(await artefactHash(join(a, 'site'), 'tree')).toBe(await artefactHash(join(b, 'site'), 'tree'));
    writeFileSync(join(b, 'site/b/c.html'), '3');
    expect(await artefactHash(join(a, 'site'), 'tree')).not.toBe(await artefactHash(join(b, 'site'), 'tree'));
  });

  it('names the first differing file of a directory, an extra file, a link, and a member inside an archive', async () => {
    const a = files(tempDir(), { 'site/a.html': '<p>8.2.0</p>', 'site/z.html': 'z' });
    const b = files(tempDir(), { 'site/a.html': '<p>8.2.1</p>', 'site/z.html': 'z' });
    expect(await firstTreeDifference(join(a, 'site'), join(b, 'site'))).toEqual({ member: 'a.html', offset: 7, text: 'a.html: byte 7' });
    writeFileSync(join(b, 'site/a.html'), '<p>8.2.0</p>');
    expect(await firstTreeDifference(join(a, 'site'), join(b, 'site'))).toBeUndefined();
    writeFileSync(join(b, 'site/m.html'), '');
    expect((await firstTreeDifference(join(a, 'site'), join(b, 'site')))?.text).toBe('m.html is only in B');
    symlinkSync('a.html', join(a, 'site/m.html'));
    expect((await firstTreeDifference(join(a, 'site'), join(b, 'site')))?.text).toBe('m.html: link to "a.html" in A, null in B');

    const za = files(tempDir(), { 'src/x.py': 'A', 'out/.keep': '' });
    const zb = files(tempDir(), { 'src/x.py': 'B', 'out/.keep': '' });
    for (const root of [za, zb]) await writeZip(await collectEntries(join(root, 'src')), join(root, 'out/f.zip'));
    expect(await firstTreeDifference(join(za, 'out'), join(zb, 'out'))).toEqual({
      member: 'f.zip!x.py',
      offset: 0,
      text: 'f.zip: member "x.py": content differs at byte 0',
    });
  });

  it('gives each artefact a verdict: identical with its hash, differ with the first difference, missing with the clone', async () => {
    const a = files(tempDir(), { 'dist/same.json': '{}', 'dist/drift.txt': 'built at /a', 'dist/only-a.txt': '' });
    const b = files(tempDir(), { 'dist/same.json': '{}', 'dist/drift.txt': 'built at /b' });
    const rows = await compareArtefacts(a, b, [
      { path: 'dist/drift.txt', task: 't:build', kind: 'file' },
      { path: 'dist/only-a.txt', task: 't:build', kind: 'file' },
      { path: 'dist/same.json', task: 't:build', kind: 'file' },
    ]);
    expect(rows.map((r) => [r.path, r.verdict, r.difference?.text])).toEqual([
      ['dist/drift.txt', 'differ', 'byte 10'],
      ['dist/only-a.txt', 'missing', 'not built in B'],
      ['dist/same.json', 'identical', undefined],
    ]);
    expect(rows[2].a).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
    expect(rows[2].b).toBe(rows[2].a);
  });
});
