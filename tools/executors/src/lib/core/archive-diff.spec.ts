import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp-dir';
import { collectEntries, writeTar, writeZip, type TarCompression } from './archive';
import { archiveFormat, archiveMembers, firstArchiveDifference, firstDifferingByte } from './archive-diff';

const FILES: Record<string, string> = {
  'bin/lava-worker': '#!/usr/bin/env python3\n',
  'lava/__init__.py': '__version__ = "8.2.0"\n',
  'lava/handlers/sql.py': 'def run():\n    return "/tmp/build-a"\n',
  'requirements.txt': 'PyYAML==6.0.2\n',
};

function tree(root: string, changes: Record<string, string | null> = {}): string {
  for (const [path, content] of Object.entries({ ...FILES, ...changes })) {
    if (content === null) continue;
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  chmodSync(join(root, 'bin/lava-worker'), 0o755);
  return root;
}

type Kind = TarCompression | 'zip';
const EXTENSION: Record<Kind, string> = { none: 'tar', gzip: 'tar.gz', bzip2: 'tar.bz2', zip: 'zip' };

async function archive(scratch: string, name: string, kind: Kind, changes: Record<string, string | null> = {}): Promise<string> {
  const root = tree(join(scratch, name), changes);
  const target = join(scratch, `${name}.${EXTENSION[kind]}`);
  if (kind === 'zip') await writeZip(await collectEntries(root, { symlinks: 'follow' }), target);
  else await writeTar(root, await collectEntries(root), target, { compression: kind });
  return target;
}

const KINDS: Kind[] = ['bzip2', 'gzip', 'zip', 'none'];

describe('firstArchiveDifference', () => {
  it.each(KINDS)('finds nothing between two builds of the same tree (%s)', async (kind) => {
    const scratch = tempDir();
    const a = await archive(scratch, 'a', kind);
    const b = await archive(scratch, 'b', kind);
    expect(await firstArchiveDifference(a, b)).toBeUndefined();
  });

  it.each(KINDS)('names the one member whose content differs, and the byte offset inside it (%s)', async (kind) => {
    const scratch = tempDir();
    const a = await archive(scratch, 'a', kind);
    const b = await archive(scratch, 'b', kind, { 'lava/handlers/sql.py': 'def run():\n    return "/tmp/build-b"\n' });
    const offset = FILES['lava/handlers/sql.py'].indexOf('build-a') + 'build-'.length;
    expect(await firstArchiveDifference(a, b)).toEqual({
      member: 'lava/handlers/sql.py',
      offset,
      text: `member "lava/handlers/sql.py": content differs at byte ${offset}`,
    });
  });

  it('gives the offset, and both sizes, when a member\'s content differs in length too', async () => {
    const scratch = tempDir();
    const a = await archive(scratch, 'a', 'bzip2');
    const b = await archive(scratch, 'b', 'bzip2', { 'lava/handlers/sql.py': 'def run():\n    return "/tmp/second-build/b"\n' });
    const offset = FILES['lava/handlers/sql.py'].indexOf('build-a');
    const sizes = `(${FILES['lava/handlers/sql.py'].length} bytes in A, ${FILES['lava/handlers/sql.py'].length + 7} in B)`;
    expect((await firstArchiveDifference(a, b))?.text).toBe(`member "lava/handlers/sql.py": content differs at byte ${offset} ${sizes}`);
  });

  it.each(KINDS)('names a member that only one archive has (%s)', async (kind) => {
    const scratch = tempDir();
    const a = await archive(scratch, 'a', kind);
    const b = await archive(scratch, 'b', kind, { 'lava/zz-extra.py': '' });
    const difference = await firstArchiveDifference(a, b);
    expect(difference?.member).toBe('lava/zz-extra.py');
    expect(difference?.text).toMatch(/"lava\/zz-extra\.py" is only in B/);
  });

  it.each(['gzip', 'zip'] as Kind[])('names a member whose mode differs before its content (%s)', async (kind) => {
    const scratch = tempDir();
    const a = await archive(scratch, 'a', kind);
    const b = await archive(scratch, 'b', kind);
    // The same tree, one file made executable: the archives differ in that member's mode only.
    const root = join(scratch, 'c');
    tree(root);
    chmodSync(join(root, 'requirements.txt'), 0o755);
    const c = join(scratch, `c.${EXTENSION[kind]}`);
    if (kind === 'zip') await writeZip(await collectEntries(root, { symlinks: 'follow' }), c);
    else await writeTar(root, await collectEntries(root), c, { compression: 'gzip' });
    expect(await firstArchiveDifference(a, b)).toBeUndefined();
    expect((await firstArchiveDifference(a, c))?.text).toBe('member "requirements.txt": mode 0644 in A, 0755 in B');
  });

  it('says when every member is identical and only the compression framing differs', async () => {
    const scratch = tempDir();
    const plain = await archive(scratch, 'a', 'none');
    const a = join(scratch, 'a.tar.gz');
    const b = join(scratch, 'b.tar.gz');
    writeFileSync(a, gzipSync(readFileSync(plain), { level: 9 }));
    // gzip's header byte 9 is the OS that wrote it.
    const other = gzipSync(readFileSync(plain), { level: 9 });
    other[9] = 0x0b;
    writeFileSync(b, other);
    expect(await firstArchiveDifference(a, b)).toEqual({
      offset: 9,
      text: 'every member is identical; the tar.gz files differ at byte 9 (compression or archive framing)',
    });
  });

  it('gives a byte offset for files that are not archives', async () => {
    const scratch = tempDir();
    writeFileSync(join(scratch, 'a.json'), '{"Version": "8.2.0"}\n');
    writeFileSync(join(scratch, 'b.json'), '{"Version": "8.2.1"}\n');
    writeFileSync(join(scratch, 'c.json'), '{"Version": "8.2.0"}\n');
    expect(await firstArchiveDifference(join(scratch, 'a.json'), join(scratch, 'b.json'))).toEqual({ offset: 17, text: 'byte 17' });
    expect(await firstArchiveDifference(join(scratch, 'a.json'), join(scratch, 'c.json'))).toBeUndefined();
  });
});

describe('archiveMembers', () => {
  it('reads what writeZip and writeTar wrote: names in order, modes, the fixed time', async () => {
    const scratch = tempDir();
    for (const kind of ['zip', 'bzip2'] as Kind[]) {
      const members = await archiveMembers(await archive(scratch, `t-${kind}`, kind));
      expect(members.map((m) => m.name.replace(/\/$/, ''))).toEqual([
        'bin',
        'bin/lava-worker',
        'lava',
        'lava/__init__.py',
        'lava/handlers',
        'lava/handlers/sql.py',
        'requirements.txt',
      ]);
      expect(members.find((m) => m.name === 'bin/lava-worker')?.mode).toBe(0o755);
      // node-tar's portable mode leaves directories without a time; every file carries the fixed one.
      expect(new Set(members.filter((m) => m.type === 'File').map((m) => m.mtime))).toEqual(new Set([499162500]));
    }
  });
});

describe('helpers', () => {
  it('knows archives by their names', () => {
    expect(archiveFormat('dist/pkg/debian12/lava-8.2.0-debian12-py3.11-x86_64.tar.bz2')).toBe('tar.bz2');
    expect(archiveFormat('dist/jinlava/jinlava-8.2.0.tar.gz')).toBe('tar.gz');
    expect(archiveFormat('dist/lambda/stop-8.2.0.zip')).toBe('zip');
    expect(archiveFormat('dist/cfn/lava-common.cfn.json')).toBeUndefined();
  });

  it('finds the first differing byte, a length difference included', () => {
    expect(firstDifferingByte(Buffer.from('abc'), Buffer.from('abc'))).toBeUndefined();
    expect(firstDifferingByte(Buffer.from('abc'), Buffer.from('abd'))).toBe(2);
    expect(firstDifferingByte(Buffer.from('ab'), Buffer.from('abc'))).toBe(2);
  });
});
