// The members of a zip (a wheel, a Lambda zip), read from its central directory: what the
// archive comparison reads, and how the uv binary is taken out of uv's wheel.
import { inflateRawSync } from 'node:zlib';
import { BuildError } from './errors';

export interface ZipMember {
  header: { name: string; type: 'File' | 'Directory' | 'SymbolicLink'; mode: number; mtime: number; owner: string; linkname: string; size: number };
  content: () => Buffer;
}

function dosTime(time: number, date: number): number {
  const d = Date.UTC(1980 + (date >> 9), ((date >> 5) & 0xf) - 1, date & 0x1f, time >> 11, (time >> 5) & 0x3f, (time & 0x1f) * 2);
  return Math.floor(d / 1000);
}

/** The members of a zip, from its central directory (no zip64: lava's zips are far below 4 GiB). */
export function readZipMembers(zip: Buffer, label: string): ZipMember[] {
  const bad = (why: string) => new BuildError(`${label} is not a readable zip: ${why}`);
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw bad('no end of central directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const members: ZipMember[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw bad(`central directory entry ${n} has no signature`);
    const method = zip.readUInt16LE(at + 10);
    const time = zip.readUInt16LE(at + 12);
    const date = zip.readUInt16LE(at + 14);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const external = zip.readUInt32LE(at + 38);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    if (compressedSize === 0xffffffff || local === 0xffffffff) throw bad(`${name} is a zip64 entry`);
    const mode = external >>> 16;
    const type = name.endsWith('/') || (mode & 0o170000) === 0o040000 ? 'Directory' : (mode & 0o170000) === 0o120000 ? 'SymbolicLink' : 'File';
    members.push({
      header: { name, type, mode: mode & 0o7777, mtime: dosTime(time, date), owner: '', linkname: '', size },
      content: () => {
        if (zip.readUInt32LE(local) !== 0x04034b50) throw bad(`${name} has no local header`);
        const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
        const raw = zip.subarray(start, start + compressedSize);
        if (method === 0) return raw;
        if (method === 8) return inflateRawSync(raw);
        throw bad(`${name} uses compression method ${method}`);
      },
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return members;
}
