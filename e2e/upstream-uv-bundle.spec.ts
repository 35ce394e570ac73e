// uv against pip for the real lava tree's worker bundle: in a workspace that adopted
// ../shared/upstream/lava, worker-bundle:pkg--host built with each installer from the same
// requirement files and the same index must hold the same distributions at the same versions,
// and, after the bundle's own normalisation (cleanPylib: installer records, REQUESTED, uv's lock
// and build record dropped), the same files. Every difference that remains is printed; each must
// be of a kind written down below, with why it is harmless and a check that it is.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePath } from '../tools/executors/src/lib/python/bundle-name';
import { hostBundleParts } from '../tools/executors/src/plugins/worker-bundle';
import { adoptedWorkspace, upstreamSkipReason } from './support/upstream';
import type { TempWorkspace } from './support/workspace';

const skip = upstreamSkipReason();

/**
 * Differences between the two pylib/s that are expected, with why they are harmless:
 * `<path pattern>` → reason. A difference not matched here fails the test.
 */
const HARMLESS: Array<{ pattern: RegExp; why: string; check: (uv: string, pip: string) => void }> = [
  {
    // Console-script launchers: each installer writes its own template around the same entry point
    // (pip strips a Windows "-script.pyw"/".exe" suffix with a regex, uv with endswith): the same
    // import and call on Linux.
    pattern: /^pylib\/bin\/[^/]+$/,
    why: 'launcher template',
    check: (uv, pip) => {
      const call = (text: string) => [/^from (\S+) import (\S+)$/m.exec(text)?.slice(1).join(':'), /^#!.*$/m.exec(text)?.[0]];
      expect(call(readFileSync(uv, 'utf8'))).toEqual(call(readFileSync(pip, 'utf8')));
    },
  },
  {
    // Extensions compiled here from sdists (cx_Oracle, PyGreSQL): each build runs in its own
    // temporary directory, whose path the compiler embeds; the code is the same (same symbols).
    pattern: /^pylib\/.*\.so$/,
    why: 'extension built from source in another build directory',
    check: (uv, pip) => {
      const symbols = (file: string) => execFileSync('nm', ['-D', '--defined-only', file]).toString().split('\n').map((l) => l.split(' ').pop()).sort();
      expect(symbols(uv)).toEqual(symbols(pip));
    },
  },
];

/** A wheel's C headers (greenlet's): pip --target puts them under include/python/<dist>/, uv under include/<dist>/; nothing imports them. */
const HEADERS = (path: string) => path.replace(/^pylib\/include\/python\//, 'pylib/include/');

/** Every file of a tree with its content's hash (links by target). */
function tree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const info = lstatSync(path);
      if (info.isDirectory()) walk(path);
      else files.set(relative(root, path), info.isSymbolicLink() ? `-> ${readlinkSync(path)}` : createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(root);
  return files;
}

/** `name==version` of every distribution in a pylib/, from its dist-info folders (PEP 503 names). */
function distributions(pylib: string): string[] {
  return readdirSync(pylib)
    .filter((n) => n.endsWith('.dist-info'))
    .map((n) => {
      const meta = readFileSync(join(pylib, n, 'METADATA'), 'utf8');
      const name = /^Name: (.+)$/m.exec(meta)![1].trim().toLowerCase().replace(/[-_.]+/g, '-');
      return `${name}==${/^Version: (.+)$/m.exec(meta)![1].trim()}`;
    })
    .sort();
}

describe.skipIf(skip)(`uv and pip give the real worker bundle the same contents${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let ws: TempWorkspace;
  let scratch: string;
  let bundle: string;

  beforeAll(() => {
    ws = adoptedWorkspace({ prefix: 'lava-uv-pip' });
    scratch = mkdtempSync(join(tmpdir(), 'uv-pip-'));
    bundle = ws.path(bundlePath({ version: '8.2.0', ...hostBundleParts('python3') }));
  }, 300_000);

  afterAll(() => {
    ws?.remove();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  function build(installer: 'uv' | 'pip'): string {
    const run = ws.nx(['run', 'worker-bundle:pkg--host', `--installer=${installer}`, '--skip-nx-cache']);
    expect(run.exitCode, run.output).toBe(0);
    expect(run.output).toContain(`(${installer})`);
    const out = join(scratch, installer);
    execFileSync('mkdir', ['-p', out]);
    execFileSync('tar', ['-xjf', bundle, '-C', out]);
    return out;
  }

  it('installs the same distributions at the same versions, and the same files but for the listed harmless ones', () => {
    const uv = build('uv');
    const uvAgain = readFileSync(bundle);
    const pip = build('pip');
    expect(distributions(join(uv, 'pylib'))).toEqual(distributions(join(pip, 'pylib')));
    expect(distributions(join(uv, 'pylib')).length).toBeGreaterThan(40);

    const a = new Map([...tree(uv)].map(([p, h]) => [HEADERS(p), h]));
    const b = new Map([...tree(pip)].map(([p, h]) => [HEADERS(p), h]));
    const differences = [...new Set([...a.keys(), ...b.keys()])].filter((path) => a.get(path) !== b.get(path)).sort();
    const described = differences.map((path) => `${path}: ${!a.has(path) ? 'pip only' : !b.has(path) ? 'uv only' : 'content differs'}`);
    console.log(`uv's and pip's bundles differ in ${differences.length} file(s) after normalisation:\n${described.join('\n')}`);
    const unexplained = differences.filter((path) => !a.has(path) || !b.has(path) || !HARMLESS.some((h) => h.pattern.test(path)));
    expect(unexplained, described.join('\n')).toEqual([]);
    for (const path of differences) {
      const harmless = HARMLESS.find((h) => h.pattern.test(path))!;
      const real = (root: string) => [join(root, path), join(root, path.replace(/^pylib\/include\//, 'pylib/include/python/'))].find((p) => existsSync(p))!;
      harmless.check(real(uv), real(pip));
    }

    // uv is reproducible: a second uv build gives the same archive, byte for byte.
    const again = ws.nx(['run', 'worker-bundle:pkg--host', '--installer=uv', '--skip-nx-cache']);
    expect(again.exitCode, again.output).toBe(0);
    expect(readFileSync(bundle).equals(uvAgain)).toBe(true);
  }, 1_200_000);
});
