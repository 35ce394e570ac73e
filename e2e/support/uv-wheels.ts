// uv's real wheels (the static musl builds for x86_64 and aarch64, at the workspace's pin) for a
// test index to serve: builder containers run uv, and the build fetches its binary through the
// index it installs from. Downloaded from PyPI once per machine, checked against PyPI's sha256,
// and kept under the build cache (the next test run reads them from there).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCacheDir } from '../../tools/executors/src/lib/core/build-cache-dir';
import { indexFiles, pinnedUvVersion, uvWheelFor } from '../../tools/executors/src/lib/python/uv-binary';
import type { BuiltWheel } from './pypi-index';
import { WORKSPACE_ROOT } from './workspace';

const PYPI = 'https://pypi.org/simple/uv/';

export async function uvWheels(): Promise<BuiltWheel[]> {
  const version = pinnedUvVersion(WORKSPACE_ROOT);
  const dir = join(buildCacheDir(), 'e2e', 'uv-wheels');
  mkdirSync(dir, { recursive: true });
  const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
  const kept = readdirSync(dir).map((filename) => ({ filename, url: `file://${join(dir, filename)}` }));
  let pypi: ReturnType<typeof indexFiles> | undefined;
  const wheels: BuiltWheel[] = [];
  for (const arch of ['x86_64', 'aarch64'] as const) {
    let file = uvWheelFor(kept, version, arch)?.filename;
    if (!file) {
      pypi ??= indexFiles(await (await fetch(PYPI, { headers: { accept: 'text/html' } })).text(), PYPI);
      const wheel = uvWheelFor(pypi, version, arch);
      if (!wheel?.sha256) throw new Error(`PyPI has no musllinux wheel of uv ${version} for ${arch}`);
      const data = Buffer.from(await (await fetch(wheel.url)).arrayBuffer());
      if (sha(data) !== wheel.sha256) throw new Error(`${wheel.filename} from PyPI does not match PyPI's sha256`);
      writeFileSync(join(dir, `${wheel.filename}.tmp`), data);
      renameSync(join(dir, `${wheel.filename}.tmp`), join(dir, wheel.filename));
      file = wheel.filename;
    }
    const path = join(dir, file);
    wheels.push({ name: 'uv', version, file, path, sha256: sha(readFileSync(path)) });
  }
  return wheels;
}
