// What two builds of one commit made, and whether they are the same: each output of each task
// (a file, or a directory taken whole, as the docs site), its sha256 in both clones, and where the
// first difference is when they differ.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, lstatSync, readlinkSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import fg from 'fast-glob';
import { firstArchiveDifference, type Difference } from '../core/archive-diff';
import { BuildError } from '../core/errors';

/** A task of the plan and the outputs Nx resolved for it, relative to the workspace root (globs kept). */
export interface TaskOutputs {
  id: string;
  outputs: string[];
}

export interface Artefact {
  /** Relative to the clone's root. */
  path: string;
  task: string;
  kind: 'file' | 'tree';
}

export type Verdict = 'identical' | 'differ' | 'missing';

export interface Comparison extends Artefact {
  a?: string;
  b?: string;
  verdict: Verdict;
  /** For `differ`: the first differing entry; for `missing`: which clone lacks it. */
  difference?: Difference;
}

interface GraphTasks {
  tasks?: { tasks?: Record<string, { outputs?: string[]; continuous?: boolean }> };
}

/** Each task of a `nx … --graph=<file>.json` answer with the outputs Nx resolved for it. */
export function taskOutputsFromGraph(json: unknown, source = 'the task graph'): TaskOutputs[] {
  const tasks = (json as GraphTasks)?.tasks?.tasks;
  if (!tasks || typeof tasks !== 'object') throw new BuildError(`${source} has no tasks.tasks: not an nx --graph=<file>.json answer`);
  return Object.entries(tasks)
    .filter(([, t]) => !t.continuous)
    .map(([id, t]) => ({ id, outputs: (t.outputs ?? []).map((o) => o.replace(/^\{workspaceRoot\}\//, '')) }));
}

/** The outputs of `tasks` as they exist in either clone: a glob's matches, a directory whole. */
export function listArtefacts(roots: readonly string[], tasks: readonly TaskOutputs[]): Artefact[] {
  const found = new Map<string, Artefact>();
  for (const task of tasks) {
    for (const output of task.outputs) {
      for (const root of roots) {
        const matches = fg.isDynamicPattern(output)
          ? fg.sync(output, { cwd: root, onlyFiles: false, dot: true, followSymbolicLinks: false })
          : existsSync(join(root, output))
            ? [output]
            : [];
        for (const path of matches) {
          if (found.has(path)) continue;
          const kind = lstatSync(join(root, path)).isDirectory() ? 'tree' : 'file';
          found.set(path, { path, task: task.id, kind });
        }
      }
    }
  }
  return [...found.values()].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}

async function fileHash(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** Every entry under `dir`, `/`-separated, in byte order (directories themselves left out: their files say it). */
async function treeEntries(dir: string, prefix = ''): Promise<Array<{ path: string; link?: string }>> {
  const names = (await readdir(join(dir, prefix))).sort();
  const entries: Array<{ path: string; link?: string }> = [];
  for (const name of names) {
    const path = prefix ? `${prefix}/${name}` : name;
    const info = lstatSync(join(dir, path));
    if (info.isSymbolicLink()) entries.push({ path, link: readlinkSync(join(dir, path)) });
    else if (info.isDirectory()) entries.push(...(await treeEntries(dir, path)));
    else entries.push({ path });
  }
  return entries;
}

/** sha256 of a file; of a directory, sha256 over its entries' paths and content hashes (link targets for links). */
export async function artefactHash(path: string, kind: Artefact['kind']): Promise<string> {
  if (kind === 'file') return fileHash(path);
  const hash = createHash('sha256');
  for (const entry of await treeEntries(path)) {
    hash.update(`${entry.path}\0${entry.link !== undefined ? `-> ${entry.link}` : await fileHash(join(path, entry.path))}\n`);
  }
  return hash.digest('hex');
}

/** The first entry two directories differ in: a file only one has, a link, or a file's first difference. */
export async function firstTreeDifference(a: string, b: string): Promise<Difference | undefined> {
  const [ea, eb] = await Promise.all([treeEntries(a), treeEntries(b)]);
  const inB = new Map(eb.map((e) => [e.path, e]));
  const inA = new Map(ea.map((e) => [e.path, e]));
  const paths = [...new Set([...inA.keys(), ...inB.keys()])].sort();
  for (const path of paths) {
    const x = inA.get(path);
    const y = inB.get(path);
    if (!x || !y) return { member: path, text: `${path} is only in ${x ? 'A' : 'B'}` };
    if (x.link !== undefined || y.link !== undefined) {
      if (x.link !== y.link) return { member: path, text: `${path}: link to ${JSON.stringify(x.link ?? null)} in A, ${JSON.stringify(y.link ?? null)} in B` };
      continue;
    }
    const inside = await firstArchiveDifference(join(a, path), join(b, path));
    if (inside) return { member: inside.member ? `${path}!${inside.member}` : path, offset: inside.offset, text: `${path}: ${inside.text}` };
  }
  return undefined;
}

/** Hashes each artefact in both clones and, where they differ, finds the first differing entry. */
export async function compareArtefacts(rootA: string, rootB: string, artefacts: readonly Artefact[]): Promise<Comparison[]> {
  const rows: Comparison[] = [];
  for (const artefact of artefacts) {
    const pa = join(rootA, artefact.path);
    const pb = join(rootB, artefact.path);
    const a = existsSync(pa) ? await artefactHash(pa, artefact.kind) : undefined;
    const b = existsSync(pb) ? await artefactHash(pb, artefact.kind) : undefined;
    if (!a || !b) {
      rows.push({ ...artefact, a, b, verdict: 'missing', difference: { text: `not built in ${a ? 'B' : b ? 'A' : 'either clone'}` } });
    } else if (a === b) {
      rows.push({ ...artefact, a, b, verdict: 'identical' });
    } else {
      const difference = artefact.kind === 'tree' ? await firstTreeDifference(pa, pb) : await firstArchiveDifference(pa, pb);
      rows.push({ ...artefact, a, b, verdict: 'differ', difference: difference ?? { text: 'the hashes differ, the entries do not (a file changed while it was read?)' } });
    }
  }
  return rows;
}
