// The uv binary a builder container runs: taken from PyPI's uv wheel for the container's
// architecture, at the version the workspace pins, fetched through the build's own package
// index, checked against the sha256 the index gives, and kept on the host (never baked into
// a builder image), so every container of that architecture mounts the same file.
//
// The wheel is the static musl build (tagged musllinux_1_1_<arch>; for aarch64 the same file is
// also tagged manylinux_2_17): it needs no C library from the image, so it runs in any Linux
// builder, glibc (Amazon Linux, Rocky, Debian) or musl alike, and still installs the manylinux
// wheels of a glibc interpreter, since uv takes the platform tags from the interpreter it is
// given (`--python python3`), not from itself.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BuildError } from '../core/errors';
import type { Platform } from '../core/platform';
import { redactUrl } from '../core/redact';
import { readZipMembers } from '../core/zip-read';

/** Where the workspace pins its Python tools, uv among them. */
export const PYTHON_TOOLS_FILE = 'tools/python/requirements.txt';

/** The uv version pinned in tools/python/requirements.txt (`uv==X.Y.Z`). */
export function pinnedUvVersion(workspaceRoot: string): string {
  const file = join(workspaceRoot, PYTHON_TOOLS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new BuildError(`${PYTHON_TOOLS_FILE} is missing, so the uv version builder containers run is unknown`, { fix: 'git checkout -- tools/python/requirements.txt' });
  }
  const version = /^uv==([0-9][0-9A-Za-z.+-]*)\s*(?:#.*)?$/m.exec(text)?.[1];
  if (!version) throw new BuildError(`${PYTHON_TOOLS_FILE} pins no uv (a line uv==<version>)`, { fix: `add uv==<version> to ${PYTHON_TOOLS_FILE}` });
  return version;
}

/** One file an index page links to. */
export interface IndexFile {
  filename: string;
  url: string;
  sha256?: string;
}

const decodeEntities = (text: string) =>
  text.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[e] ?? '');

/** The files of a PEP 503 project page, their URLs resolved against the page's own. */
export function indexFiles(html: string, pageUrl: string): IndexFile[] {
  const files: IndexFile[] = [];
  for (const match of html.matchAll(/<a\s[^>]*?href\s*=\s*(["'])(.*?)\1[^>]*>/gis)) {
    const url = new URL(decodeEntities(match[2]), pageUrl);
    const sha256 = /(?:^|&)sha256=([0-9a-f]{64})(?:&|$)/i.exec(url.hash.slice(1))?.[1]?.toLowerCase();
    url.hash = '';
    const filename = decodeURIComponent(url.pathname.split('/').pop() ?? '');
    if (filename) files.push({ filename, url: url.toString(), ...(sha256 ? { sha256 } : {}) });
  }
  return files;
}

/** uv's static musl wheel of `version` for `arch` among an index's files. */
export function uvWheelFor(files: readonly IndexFile[], version: string, arch: Platform['arch']): IndexFile | undefined {
  return files.find((f) => {
    const m = /^uv-(.+?)-py3-none-(.+)\.whl$/.exec(f.filename);
    return m !== null && m[1] === version && m[2].split('.').includes(`musllinux_1_1_${arch}`);
  });
}

export interface UvBinaryRequest {
  version: string;
  platform: Platform;
  /** The index the build installs from (credentials allowed: sent as Basic auth, never printed). */
  indexUrl: string;
  /** The host folder binaries are kept in: `<dir>/<version>/<arch>/uv`. */
  dir: string;
}

// fetch refuses URLs with credentials: they travel as an Authorization header, to the index's own host only.
async function get(url: string, index: URL, what: string, fix: string, accept?: string): Promise<Response> {
  const target = new URL(url);
  const headers: Record<string, string> = accept ? { accept } : {};
  if ((index.username || index.password) && target.host === index.host) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(index.username)}:${decodeURIComponent(index.password)}`).toString('base64')}`;
  }
  target.username = '';
  target.password = '';
  let response: Response;
  try {
    response = await fetch(target, { headers, redirect: 'follow' });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new BuildError(`cannot reach ${redactUrl(url)} for ${what} (${cause?.code ?? cause?.message ?? (error as Error).message})`, { fix });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new BuildError(`${redactUrl(url)} answered HTTP ${response.status} for ${what}`, { fix });
  }
  return response;
}

/**
 * The host path of uv `version` for `platform`, fetched once per machine: the wheel's sha256 is
 * checked against the index's before its binary is written, and the binary lands under its final
 * name by rename, so concurrent builds (four Lambdas at once) never see half a file.
 */
export async function uvBinary(r: UvBinaryRequest): Promise<string> {
  const target = join(r.dir, r.version, r.platform.arch, 'uv');
  try {
    if ((await stat(target)).isFile()) return target;
  } catch {
    // not fetched yet
  }
  const index = new URL(r.indexUrl);
  const shown = redactUrl(r.indexUrl);
  const wanted = `uv ${r.version} for ${r.platform.arch} (the musllinux wheel)`;
  const fix = `make uv==${r.version} available on the index, or --installer=pip`;
  const page = `${r.indexUrl.replace(/\/+$/, '')}/uv/`;
  const html = await (await get(page, index, wanted, fix, 'text/html')).text();
  const wheel = uvWheelFor(indexFiles(html, page), r.version, r.platform.arch);
  if (!wheel) throw new BuildError(`the package index ${shown} has no wheel of ${wanted}`, { fix });
  if (!wheel.sha256) throw new BuildError(`the package index ${shown} gives no sha256 for ${wheel.filename}, so it cannot be checked`, { fix: 'use an index that gives #sha256= fragments (PEP 503), or --installer=pip' });
  const data = Buffer.from(await (await get(wheel.url, index, wanted, fix)).arrayBuffer());
  const sha256 = createHash('sha256').update(data).digest('hex');
  if (sha256 !== wheel.sha256) {
    throw new BuildError(`${wheel.filename} from ${shown} has sha256 ${sha256}, the index says ${wheel.sha256}`, { fix: 'check the index (a proxy that rewrites files?), then build again' });
  }
  const member = readZipMembers(data, wheel.filename).find((m) => m.header.name === `uv-${r.version}.data/scripts/uv`);
  if (!member) throw new BuildError(`${wheel.filename} holds no uv-${r.version}.data/scripts/uv`, { fix });
  await mkdir(join(r.dir, r.version, r.platform.arch), { recursive: true });
  const staging = `${target}.${process.pid}.tmp`;
  try {
    await writeFile(staging, member.content());
    await chmod(staging, 0o755);
    await rename(staging, target);
  } finally {
    await rm(staging, { force: true });
  }
  console.log(`uv ${r.version} for ${r.platform.arch} from ${shown} (${wheel.filename}, sha256 checked) kept in ${target}`);
  return target;
}
