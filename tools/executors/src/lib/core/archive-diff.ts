// The reader side of archive.ts: where two builds of one archive first differ, as one line a
// person can act on (the member, then the field or the byte offset inside its content), not
// only "the sha256 differs". Tars (plain, gzip, bzip2) and zips; any other file by byte offset.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
// tar and execa are loaded on first use, as in archive.ts.
import type * as Tar from 'tar';
import { BuildError } from './errors';
import { readZipMembers } from './zip-read';

export type ArchiveFormat = 'tar' | 'tar.gz' | 'tar.bz2' | 'zip';

/** One member as the comparison sees it: the header fields that make the bytes, and its content's hash. */
export interface MemberSummary {
  name: string;
  type: string;
  mode: number;
  mtime: number;
  owner: string;
  linkname: string;
  size: number;
  sha256: string;
}

export interface Difference {
  /** The member the difference is in; absent for plain files and for differences outside every member. */
  member?: string;
  /** Byte offset of the first differing byte: in the member's content, or in the file. */
  offset?: number;
  /** One line: where, and what differs. */
  text: string;
}

export function archiveFormat(path: string): ArchiveFormat | undefined {
  if (/\.(tar\.bz2|tbz2?)$/.test(path)) return 'tar.bz2';
  if (/\.(tar\.gz|tgz)$/.test(path)) return 'tar.gz';
  if (/\.tar$/.test(path)) return 'tar';
  if (/\.(zip|whl|jar)$/.test(path)) return 'zip';
  return undefined;
}

/** Offset of the first differing byte of two buffers, or undefined when they are equal. */
export function firstDifferingByte(a: Buffer, b: Buffer): number | undefined {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? undefined : length;
}

async function firstDifferingFileByte(a: string, b: string): Promise<number | undefined> {
  const [fa, fb] = await Promise.all([open(a), open(b)]);
  try {
    const chunk = 1 << 20;
    const ba = Buffer.alloc(chunk);
    const bb = Buffer.alloc(chunk);
    for (let position = 0; ; position += chunk) {
      const [ra, rb] = await Promise.all([fa.read(ba, 0, chunk, position), fb.read(bb, 0, chunk, position)]);
      const at = firstDifferingByte(ba.subarray(0, ra.bytesRead), bb.subarray(0, rb.bytesRead));
      if (at !== undefined) return position + at;
      if (ra.bytesRead === 0) return undefined;
    }
  } finally {
    await Promise.all([fa.close(), fb.close()]);
  }
}

// ---- tar

/** The uncompressed tar stream of `path` (bzip2 through Debian's bzip2, gzip by node-tar itself). */
async function tarStream(path: string, format: ArchiveFormat): Promise<Readable> {
  if (format !== 'tar.bz2') return createReadStream(path);
  const { execa } = await import('execa');
  const bunzip = execa('bzip2', ['-dc', path], { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe', buffer: { stdout: false }, reject: false });
  bunzip.catch(() => undefined);
  return bunzip.stdout as Readable;
}

/** Walks the members of a tar; `onMember` gets each header and its content (whole, only when `wantContent` says so). */
async function walkTar(
  path: string,
  format: ArchiveFormat,
  onMember: (header: Omit<MemberSummary, 'sha256'>, content: { sha256: string; bytes?: Buffer }) => void,
  wantContent: (index: number) => boolean = () => false,
): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tar = require('tar') as typeof Tar;
  const stream = await tarStream(path, format);
  let index = 0;
  await new Promise<void>((resolve, reject) => {
    const parser = new tar.Parser({
      strict: true,
      onReadEntry: (entry) => {
        const header = {
          name: entry.path,
          type: entry.type,
          mode: entry.mode ?? 0,
          mtime: entry.mtime ? Math.floor(entry.mtime.getTime() / 1000) : 0,
          owner: `${entry.uid ?? ''}:${entry.gid ?? ''} ${entry.uname ?? ''}:${entry.gname ?? ''}`,
          linkname: entry.linkpath ?? '',
          size: entry.size ?? 0,
        };
        const hash = createHash('sha256');
        const keep = wantContent(index++);
        const chunks: Buffer[] = [];
        entry.on('data', (chunk: Buffer) => {
          hash.update(chunk);
          if (keep) chunks.push(chunk);
        });
        entry.on('end', () => onMember(header, { sha256: hash.digest('hex'), bytes: keep ? Buffer.concat(chunks) : undefined }));
      },
    });
    parser.on('error', reject);
    parser.on('warn', (_code: string, message: string) => reject(new BuildError(`${path} is not a readable ${format}: ${message}`)));
    parser.on('end', () => resolve());
    stream.on('error', reject);
    stream.pipe(parser);
  });
}

// ---- comparison

/** Every member of an archive, in stored order, with its content's sha256. */
export async function archiveMembers(path: string, format = archiveFormat(path)): Promise<MemberSummary[]> {
  if (!format) throw new BuildError(`${path} is not an archive this reader knows (tar, tar.gz, tar.bz2, zip)`);
  if (format === 'zip') {
    return readZipMembers(await readFile(path), path).map((m) => ({ ...m.header, sha256: createHash('sha256').update(m.content()).digest('hex') }));
  }
  const members: MemberSummary[] = [];
  await walkTar(path, format, (header, content) => members.push({ ...header, sha256: content.sha256 }));
  return members;
}

async function memberContent(path: string, format: ArchiveFormat, index: number, name: string): Promise<Buffer> {
  if (format === 'zip') return readZipMembers(await readFile(path), path)[index].content();
  let found: Buffer | undefined;
  await walkTar(
    path,
    format,
    (header, content) => {
      if (content.bytes && header.name === name) found = content.bytes;
    },
    (at) => at === index,
  );
  return found ?? Buffer.alloc(0);
}

const octal = (mode: number) => mode.toString(8).padStart(4, '0');
const FIELDS: Array<[keyof MemberSummary, string, (v: never) => string]> = [
  ['type', 'type', String],
  ['mode', 'mode', octal as (v: never) => string],
  ['linkname', 'link target', (v: string) => JSON.stringify(v)],
  ['owner', 'owner (uid:gid uname:gname)', String],
  ['mtime', 'mtime', (v: number) => new Date(v * 1000).toISOString()],
];

/** Where two archives first differ, member by member; undefined when the files are byte-identical. */
export async function firstArchiveDifference(a: string, b: string, format = archiveFormat(a)): Promise<Difference | undefined> {
  const fileOffset = await firstDifferingFileByte(a, b);
  if (fileOffset === undefined) return undefined;
  if (!format) return { offset: fileOffset, text: `byte ${fileOffset}` };
  const [ma, mb] = await Promise.all([archiveMembers(a, format), archiveMembers(b, format)]);
  for (let i = 0; i < Math.max(ma.length, mb.length); i++) {
    const x = ma[i];
    const y = mb[i];
    if (!x || !y) {
      const extra = (x ?? y) as MemberSummary;
      return { member: extra.name, text: `member "${extra.name}" is only in ${x ? 'A' : 'B'} (member ${i + 1}; A has ${ma.length} members, B ${mb.length})` };
    }
    if (x.name !== y.name) {
      // One extra member shifts every later one: name the extra one, not the shifted pair.
      if (!ma.some((m) => m.name === y.name)) return { member: y.name, text: `member "${y.name}" is only in B (member ${i + 1}; A has ${ma.length} members, B ${mb.length})` };
      if (!mb.some((m) => m.name === x.name)) return { member: x.name, text: `member "${x.name}" is only in A (member ${i + 1}; A has ${ma.length} members, B ${mb.length})` };
      return { member: x.name, text: `member ${i + 1} is "${x.name}" in A, "${y.name}" in B (the same members in another order)` };
    }
    for (const [field, label, show] of FIELDS) {
      if (x[field] !== y[field]) {
        return { member: x.name, text: `member "${x.name}": ${label} ${show(x[field] as never)} in A, ${show(y[field] as never)} in B` };
      }
    }
    if (x.sha256 !== y.sha256) {
      const [ca, cb] = await Promise.all([memberContent(a, format, i, x.name), memberContent(b, format, i, y.name)]);
      const offset = firstDifferingByte(ca, cb) ?? 0;
      // The size follows from the content: the offset is what says where to look.
      const sizes = x.size === y.size ? '' : ` (${x.size} bytes in A, ${y.size} in B)`;
      return { member: x.name, offset, text: `member "${x.name}": content differs at byte ${offset}${sizes}` };
    }
  }
  return { offset: fileOffset, text: `every member is identical; the ${format} files differ at byte ${fileOffset} (compression or archive framing)` };
}
