// A real PEP 503 package index for tests: tiny wheels built here (one pure, one
// tagged for a given platform), served over HTTP by a child process with a
// request log, optionally behind basic auth. Binds 127.0.0.1 on a free port
// unless told otherwise; for containers bind 0.0.0.0 and advertise an address
// the container can reach.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

export interface WheelSpec {
  name: string;
  version: string;
  /** The wheel's compatibility tag; `py3-none-any` for a pure wheel. */
  tag?: string;
  /** Files of the package, relative to site-packages: `tinypure/__init__.py` → text. */
  files: Record<string, string>;
  /** console_scripts entry points: `name` → `module:function`. */
  scripts?: Record<string, string>;
}

export interface BuiltWheel {
  name: string;
  version: string;
  file: string;
  path: string;
  sha256: string;
}

/** PEP 503 normalised project name. */
export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

const b64 = (data: Buffer) => createHash('sha256').update(data).digest('base64url');

/** The most specific wheel tag `python` accepts on this machine, e.g. cp311-cp311-manylinux_2_36_x86_64. */
export function hostWheelTag(python = 'python3'): string {
  const script = 'from pip._vendor.packaging.tags import sys_tags; print(next(iter(sys_tags())))';
  return execFileSync(python, ['-c', script], { encoding: 'utf8' }).trim();
}

export async function buildWheel(dir: string, spec: WheelSpec): Promise<BuiltWheel> {
  const tag = spec.tag ?? 'py3-none-any';
  const dist = spec.name.replace(/-/g, '_');
  const info = `${dist}-${spec.version}.dist-info`;
  const files: Record<string, string> = { ...spec.files };
  files[`${info}/METADATA`] = `Metadata-Version: 2.1\nName: ${spec.name}\nVersion: ${spec.version}\nSummary: a tiny test wheel\n`;
  files[`${info}/WHEEL`] = `Wheel-Version: 1.0\nGenerator: lava-e2e\nRoot-Is-Purelib: ${tag.endsWith('-any')}\nTag: ${tag}\n`;
  const packages = [...new Set(Object.keys(spec.files).map((f) => f.split('/')[0]))];
  files[`${info}/top_level.txt`] = `${packages.join('\n')}\n`;
  if (spec.scripts) {
    files[`${info}/entry_points.txt`] = `[console_scripts]\n${Object.entries(spec.scripts).map(([k, v]) => `${k} = ${v}`).join('\n')}\n`;
  }
  const record = Object.entries(files).map(([path, text]) => {
    const data = Buffer.from(text);
    return `${path},sha256=${b64(data)},${data.length}`;
  });
  files[`${info}/RECORD`] = `${record.join('\n')}\n${info}/RECORD,,\n`;

  const file = `${dist}-${spec.version}-${tag}.whl`;
  const path = join(dir, file);
  await mkdir(dir, { recursive: true });
  const zip = new yazl.ZipFile();
  for (const [entry, text] of Object.entries(files)) zip.addBuffer(Buffer.from(text), entry, { mtime: new Date(2020, 0, 1) });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
  const sha256 = createHash('sha256').update(await readFile(path)).digest('hex');
  return { name: spec.name, version: spec.version, file, path, sha256 };
}

/**
 * The two wheels the bundle tests install: `tinypure` (pure, with a console
 * script) and `tinyplat` (tagged for `platformTag`, carrying a `.so`).
 */
export async function tinyWheels(dir: string, platformTag = hostWheelTag()): Promise<BuiltWheel[]> {
  return Promise.all([
    buildWheel(dir, {
      name: 'tinypure',
      version: '1.0',
      files: { 'tinypure/__init__.py': 'def main():\n    print("tinypure 1.0")\n' },
      scripts: { tinypure: 'tinypure:main' },
    }),
    buildWheel(dir, {
      name: 'tinyplat',
      version: '2.0',
      tag: platformTag,
      files: {
        'tinyplat/__init__.py': `TAG = ${JSON.stringify(platformTag)}\n`,
        'tinyplat/_native.abi3.so': 'not really ELF: the bundle must keep .so files\n',
      },
    }),
  ]);
}

export interface IndexRequest {
  method: string;
  path: string;
  /** The basic-auth user pip sent, if any. */
  user?: string;
  status: number;
}

export interface PypiIndex {
  /** `http://127.0.0.1:<port>/simple` */
  url: string;
  host: string;
  port: number;
  /** Every request served so far, in order (read from the server's log). */
  requests(): IndexRequest[];
  /** The same index URL with credentials in it. */
  urlWith(user: string, password: string): string;
  close(): Promise<void>;
}

export interface PypiIndexOptions {
  wheels: readonly BuiltWheel[];
  /** Address to bind (127.0.0.1 by default; 0.0.0.0 for containers). */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** When set, every request must carry these basic-auth credentials. */
  credentials?: { user: string; password: string };
  /** The host name put in `url` (defaults to `host`, or 127.0.0.1 when binding 0.0.0.0). */
  advertisedHost?: string;
}

/**
 * Starts the index in its own process (pypi-index-server.mjs), so a test can
 * block on spawnSync (nx, pip) while the index answers.
 */
export async function startPypiIndex(options: PypiIndexOptions): Promise<PypiIndex> {
  const logDir = await mkdtemp(join(tmpdir(), 'pypi-index-log-'));
  const log = join(logDir, 'requests.jsonl');
  writeFileSync(log, '');
  const bind = options.host ?? '127.0.0.1';
  const config = { wheels: options.wheels, host: bind, port: options.port ?? 0, credentials: options.credentials, log };
  const child = spawn(process.execPath, [join(__dirname, 'pypi-index-server.mjs'), JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the test index exited (${code}) before listening`)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve((JSON.parse(line) as { port: number }).port);
    });
  });
  child.removeAllListeners('exit');
  const shown = options.advertisedHost ?? (bind === '0.0.0.0' ? '127.0.0.1' : bind);
  return {
    url: `http://${shown}:${port}/simple`,
    host: shown,
    port,
    requests: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as IndexRequest),
    urlWith: (u, p) => `http://${encodeURIComponent(u)}:${encodeURIComponent(p)}@${shown}:${port}/simple`,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}
