// A wheel whose files may be binary (pypi-index.ts's buildWheel takes text only):
// the docker tests ship a real shared library per platform in a platform-tagged wheel,
// so the ELF in the output shows which wheel pip chose inside the container.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import type { BuiltWheel } from './pypi-index';

export async function buildBinaryWheel(dir: string, name: string, version: string, tag: string, files: Record<string, Buffer | string>): Promise<BuiltWheel> {
  const info = `${name}-${version}.dist-info`;
  const all: Record<string, Buffer> = {};
  for (const [path, data] of Object.entries(files)) all[path] = Buffer.from(data);
  all[`${info}/METADATA`] = Buffer.from(`Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`);
  all[`${info}/WHEEL`] = Buffer.from(`Wheel-Version: 1.0\nGenerator: lava-e2e\nRoot-Is-Purelib: false\nTag: ${tag}\n`);
  const record = Object.entries(all).map(([p, d]) => `${p},sha256=${createHash('sha256').update(d).digest('base64url')},${d.length}`);
  all[`${info}/RECORD`] = Buffer.from(`${record.join('\n')}\n${info}/RECORD,,\n`);
  const file = `${name}-${version}-${tag}.whl`;
  const path = join(dir, file);
  await mkdir(dir, { recursive: true });
  const zip = new yazl.ZipFile();
  for (const [entry, data] of Object.entries(all)) zip.addBuffer(data, entry, { mtime: new Date(2020, 0, 1) });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
  return { name, version, file, path, sha256: createHash('sha256').update(await readFile(path)).digest('hex') };
}

/**
 * `tinyelf` 1.0 for x86_64 and aarch64, each carrying that platform's real libz as
 * `tinyelf/_native.so` (taken from the test base image): pip picks one by platform tag.
 */
export async function tinyElfWheels(dir: string, libz: { x86_64: Buffer; aarch64: Buffer }): Promise<BuiltWheel[]> {
  return Promise.all(
    (['x86_64', 'aarch64'] as const).map((arch) =>
      buildBinaryWheel(dir, 'tinyelf', '1.0', `py3-none-manylinux_2_17_${arch}`, {
        'tinyelf/__init__.py': `ARCH = ${JSON.stringify(arch)}\n`,
        'tinyelf/_native.so': libz[arch],
      }),
    ),
  );
}
