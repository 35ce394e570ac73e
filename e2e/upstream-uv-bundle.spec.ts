// uv against pip for the real lava tree's worker bundle: in a workspace that adopted
// ../shared/upstream/lava, worker-bundle:pkg--host built with each installer from the same
// requirement files and the same index must hold the same distributions at the same versions,
// and, after the bundle's own normalisation, the same files. Every difference that remains is
// listed by name; those known and harmless are written down below with the reason.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, lstatSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePath } from '../tools/executors/src/lib/bundle';
import { hostBundleParts } from '../tools/executors/src/plugins/lava-python';
import { adoptedWorkspace, upstreamSkipReason } from './support/upstream';
import type { TempWorkspace } from './support/workspace';

const skip = upstreamSkipReason();

/**
 * Differences between the two pylib/s that are expected, with why they are harmless:
 * `<path pattern>` → reason. A difference not matched here fails the test.
 */
const HARMLESS: Array<[RegExp, string]> = [
  // pip marks the distributions the user named (PEP 376 REQUESTED); uv marks none in --target
  // installs. Nothing reads it at run time: it only tells `pip uninstall`-like tools what was asked for.
  [/^pylib\/[^/]+\.dist-info\/REQUESTED$/, 'REQUESTED marker (installer bookkeeping, unread at run time)'],
];

/** Every file of a tree with its content's hash (links by target). */
function tree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const info = lstatSync(path);
      if (info.isDirectory()) walk(path);
      else files.set(relative(root, path), info.isSymbolicLink() ? `-> ${readlinkSync(path)}` : execFileSync('sha256sum', [path]).toString().split(' ')[0]);
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

    const a = tree(uv);
    const b = tree(pip);
    const differences = [...new Set([...a.keys(), ...b.keys()])]
      .filter((path) => a.get(path) !== b.get(path))
      .map((path) => `${path}: ${!a.has(path) ? 'pip only' : !b.has(path) ? 'uv only' : 'content differs'}`)
      .sort();
    const unexplained = differences.filter((d) => !HARMLESS.some(([pattern]) => pattern.test(d.split(':')[0])));
    expect(unexplained, `differences between uv's and pip's bundle:\n${differences.join('\n')}`).toEqual([]);

    // uv is reproducible: a second uv build gives the same archive, byte for byte.
    const again = ws.nx(['run', 'worker-bundle:pkg--host', '--installer=uv', '--skip-nx-cache']);
    expect(again.exitCode, again.output).toBe(0);
    expect(readFileSync(bundle).equals(uvAgain)).toBe(true);
  }, 1_200_000);
});
