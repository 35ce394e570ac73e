import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, linkSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { collectEntries, writeTar, writeZip, type TarCompression } from './archive';
import { BuildError } from './errors';
import { tempDir } from '../../testing/temp-dir';

// How many cores archive.ts sees (lbzip2's threads): the bzip2 spec varies it.
const cores = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:os', async (original) => {
  const os = await original<typeof import('node:os')>();
  return { ...os, availableParallelism: () => cores.count || os.availableParallelism() };
});

const FILES: Array<[string, string, number]> = [
  ['bin/lava-worker', '#!/usr/bin/env python3\n', 0o755],
  ['lava/__init__.py', '__version__ = "8.2.0"\n', 0o644],
  ['lava/handlers/__init__.py', '', 0o644],
  ['lava/handlers/sql.py', 'def run(): pass\n', 0o664],
  ['pylib/yaml/_yaml.cpython-311-x86_64-linux-gnu.so', '\x7fELF fake', 0o755],
  ['lava/__pycache__/x.cpython-311.pyc', 'junk', 0o644],
  ['requirements.txt', 'PyYAML==6.0.2\n', 0o644],
];

let scratch: string;
beforeEach(() => {
  scratch = tempDir('archive-spec-');
});

/** Makes the tree; `perturbed` changes everything that must not matter. */
function makeTree(root: string, perturbed: boolean): string {
  const files = perturbed ? [...FILES].reverse() : FILES;
  for (const [path, content, mode] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
    chmodSync(join(root, path), perturbed && mode === 0o644 ? 0o664 : mode);
    if (perturbed) {
      utimesSync(join(root, path), new Date('2031-02-03T04:05:06Z'), new Date('2031-02-03T04:05:06Z'));
      chownSync(join(root, path), 4242, 4343);
    }
  }
  symlinkSync('../lava', join(root, 'bin/lava'));
  return root;
}

const sha = (file: string) => execFileSync('sha256sum', [file]).toString().split(' ')[0];

describe('writeTar', () => {
  it.each<TarCompression>(['none', 'gzip', 'bzip2'])('gives identical bytes for a perturbed copy of the tree (%s)', async (compression) => {
    const outputs = [];
    for (const perturbed of [false, true]) {
      const root = makeTree(join(scratch, `tree-${perturbed}`), perturbed);
      const entries = await collectEntries(root, { exclude: ['*.pyc', '__pycache__'] });
      const out = join(scratch, `out-${perturbed}.tar`);
      await writeTar(root, entries, out, { compression });
      outputs.push(out);
    }
    expect(readFileSync(outputs[0]).equals(readFileSync(outputs[1]))).toBe(true);
    expect(sha(outputs[0])).toBe(sha(outputs[1]));
  });

  it('stores sorted relative entries, owner 0/0, normalised modes, symlinks as links, no excluded files', async () => {
    const root = makeTree(join(scratch, 'tree'), true);
    const entries = await collectEntries(root, { exclude: ['*.pyc', '__pycache__'] });
    const out = join(scratch, 'bundle.tar.bz2');
    await writeTar(root, entries, out, { compression: 'bzip2' });
    const listing = execFileSync('tar', ['-tvjf', out, '--numeric-owner']).toString().trim().split('\n');
    const names = listing.map((l) => l.split(/\s+/).slice(5).join(' '));
    expect(names).toEqual([
      'bin/',
      'bin/lava -> ../lava',
      'bin/lava-worker',
      'lava/',
      'lava/__init__.py',
      'lava/handlers/',
      'lava/handlers/__init__.py',
      'lava/handlers/sql.py',
      'pylib/',
      'pylib/yaml/',
      'pylib/yaml/_yaml.cpython-311-x86_64-linux-gnu.so',
      'requirements.txt',
    ]);
    for (const line of listing) expect(line.split(/\s+/)[1]).toBe('0/0');
    const modeOf = (name: string) => listing.find((l) => l.endsWith(` ${name}`))!.split(/\s+/)[0];
    expect(modeOf('lava/handlers/sql.py')).toBe('-rw-r--r--');
    expect(modeOf('bin/lava-worker')).toBe('-rwxr-xr-x');
    expect(modeOf('lava/')).toBe('drwxr-xr-x');
  });

  it('stores hard-linked files whole, so how the tree was copied does not matter', async () => {
    const root = join(scratch, 'tree');
    mkdirSync(root);
    writeFileSync(join(root, 'a'), 'same');
    linkSync(join(root, 'a'), join(root, 'b'));
    const out = join(scratch, 'x.tar');
    await writeTar(root, await collectEntries(root), out, { compression: 'none' });
    const listing = execFileSync('tar', ['-tvf', out]).toString();
    expect(listing).not.toContain('link to');
  });

  it('puts entries under a prefix when asked', async () => {
    const root = makeTree(join(scratch, 'tree'), false);
    const out = join(scratch, 'sdist.tar.gz');
    await writeTar(root, await collectEntries(root, { exclude: ['__pycache__'] }), out, { compression: 'gzip', prefix: 'jinlava-8.2.0' });
    const names = execFileSync('tar', ['-tzf', out]).toString().trim().split('\n');
    expect(names.every((n) => n.startsWith('jinlava-8.2.0/'))).toBe(true);
  });

  it('compresses .tar.bz2 as one bzip2 stream, the same bytes whatever the number of cores, read by tar, bzip2 and Python in file and stream modes', async () => {
    const root = makeTree(join(scratch, 'tree'), false);
    // Several bzip2 blocks (900 kB each), so that several threads share the work.
    const data = Buffer.concat(Array.from({ length: 70_000 }, (_, i) => Buffer.from(`${i} ${(i * 2654435761) % 4294967296}\n`.repeat(1 + (i % 5)))));
    writeFileSync(join(root, 'lava/data.txt'), data);
    expect(data.length).toBeGreaterThan(3_000_000);
    const entries = await collectEntries(root, { exclude: ['*.pyc', '__pycache__'] });
    const outputs: Buffer[] = [];
    try {
      for (const count of [1, 2, 7]) {
        cores.count = count;
        const out = join(scratch, `cores-${count}.tar.bz2`);
        await writeTar(root, entries, out, { compression: 'bzip2' });
        outputs.push(readFileSync(out));
      }
    } finally {
      cores.count = 0;
    }
    expect(outputs[1].equals(outputs[0])).toBe(true);
    expect(outputs[2].equals(outputs[0])).toBe(true);
    const out = join(scratch, 'cores-1.tar.bz2');
    expect(execFileSync('tar', ['-xjOf', out, 'lava/data.txt'], { maxBuffer: 1 << 26 }).equals(data)).toBe(true);
    execFileSync('bzip2', ['-t', out]);
    // Python's stream mode reads one bzip2 stream and no further: concatenated streams would end early.
    for (const mode of ['r:bz2', 'r|bz2']) {
      const read = execFileSync('python3', ['-c', 'import sys,tarfile\nt=tarfile.open(sys.argv[1], sys.argv[2])\nfor m in t:\n    if m.name == "lava/data.txt": sys.stdout.buffer.write(t.extractfile(m).read())', out, mode], { maxBuffer: 1 << 26 });
      expect(read.equals(data), mode).toBe(true);
    }
  }, 60_000);

  it('leaves no file behind when compression fails', async () => {
    const root = makeTree(join(scratch, 'tree'), false);
    const entries = await collectEntries(root);
    const outDir = join(scratch, 'dist');
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(writeTar(root, entries, join(outDir, 'x.tar.bz2'), { compression: 'bzip2' })).rejects.toThrow(
        'lbzip2 not found on PATH; run: apt-get install lbzip2',
      );
    } finally {
      process.env.PATH = path;
    }
    expect(readdirSync(outDir)).toEqual([]);
  });
});

describe('writeZip', () => {
  it('gives identical bytes for a perturbed copy of the tree, whatever the time zone', async () => {
    const outputs = [];
    for (const perturbed of [false, true]) {
      const root = makeTree(join(scratch, `tree-${perturbed}`), perturbed);
      rmSync(join(root, 'bin/lava'));
      const out = join(scratch, `out-${perturbed}.zip`);
      const tz = process.env.TZ;
      process.env.TZ = perturbed ? 'Pacific/Kiritimati' : 'UTC';
      try {
        await writeZip(await collectEntries(root, { symlinks: 'refuse' }), out, [{ path: 'etc/version', data: '8.2.0 (Kilauea)\n' }]);
      } finally {
        process.env.TZ = tz;
      }
      outputs.push(out);
    }
    expect(sha(outputs[0])).toBe(sha(outputs[1]));
    const names = execFileSync('unzip', ['-Z1', outputs[0]]).toString().trim().split('\n');
    expect(names).toContain('etc/version');
    expect(names.every((n) => !n.startsWith('/') && !n.includes('..'))).toBe(true);
    expect(execFileSync('unzip', ['-p', outputs[0], 'etc/version']).toString()).toBe('8.2.0 (Kilauea)\n');
  });

  it('stores what a followed symlink points to', async () => {
    const root = makeTree(join(scratch, 'tree'), false);
    const out = join(scratch, 'x.zip');
    await writeZip(await collectEntries(root, { symlinks: 'follow' }), out);
    expect(execFileSync('unzip', ['-p', out, 'bin/lava/__init__.py']).toString()).toBe('__version__ = "8.2.0"\n');
  });

  it('refuses symlinks with the path named, and a dangling link when following', async () => {
    const root = makeTree(join(scratch, 'tree'), false);
    await expect(collectEntries(root, { symlinks: 'refuse' })).rejects.toThrow(/bin\/lava is a symlink \(→ \.\.\/lava\)/);
    symlinkSync('nowhere', join(root, 'dangling'));
    await expect(collectEntries(root, { symlinks: 'follow' })).rejects.toThrow(BuildError);
    await expect(collectEntries(root, { symlinks: 'follow' })).rejects.toThrow(/dangling is a dangling symlink/);
  });
});
