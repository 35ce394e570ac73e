// The tooling part of a task's cache key: the files of this plugin that the task's executor really
// runs, and no other. Starting at the executor's implementation, every relative import is followed
// (static, dynamic and require; `import type` lines are left out: types never run), so an edit to
// the spell checker reruns the docs tasks and nothing else, while an edit to the archive writer
// reruns every task that writes an archive. The npm packages those files import enter as Nx
// external dependencies (their installed versions), and so does swc, which compiles them. Also in
// every key: the executor's schema.json (its defaults are options) and the loader the executors go
// through.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const EXECUTORS_DIR = 'tools/executors';
const LOADER = ['executors.json', 'executors.js', 'ts-cache.js'].map((f) => `${EXECUTORS_DIR}/${f}`);
const LOADER_PACKAGES = ['@swc/core'];

const TYPE_ONLY = /\b(?:import|export)\s+type\s[^;]*?\bfrom\s*(['"])[^'"]*\1/g;
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(['"])([^'"]+)\1/g;

/** What a TypeScript source imports for its values: relative specifiers, and npm package names. */
export function importsIn(source: string): { relative: string[]; packages: string[] } {
  const specifiers = [...source.replace(TYPE_ONLY, '').matchAll(IMPORT)].map((m) => m[2]);
  return {
    relative: specifiers.filter((s) => s.startsWith('./') || s.startsWith('../')),
    packages: specifiers.filter((s) => !s.startsWith('.') && !s.startsWith('node:')).map(packageName),
  };
}

/** `@scope/name/deep/path` → `@scope/name`; `name/deep/path` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return parts.slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

interface Parsed {
  mtimeMs: number;
  size: number;
  imports: ReturnType<typeof importsIn>;
}
// Kept between graph computations (the daemon runs many): a file is read again only when it changed.
const parsed = new Map<string, Parsed>();

function importsOf(file: string): ReturnType<typeof importsIn> {
  const stat = statSync(file);
  const known = parsed.get(file);
  if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) return known.imports;
  const imports = importsIn(readFileSync(file, 'utf8'));
  parsed.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, imports });
  return imports;
}

function resolveSource(fromFile: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this spelling
    }
  }
  return undefined;
}

export interface Closure {
  /** Workspace-relative paths, sorted. */
  files: string[];
  /** npm packages imported by any of them, sorted. */
  packages: string[];
}

/** Every source file reached from `entry` through relative imports, and the npm packages they import. */
export function sourceClosure(workspaceRoot: string, entry: string): Closure {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const pending = [resolve(workspaceRoot, entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith('.ts')) continue;
    const imports = importsOf(file);
    for (const name of imports.packages) packages.add(name);
    for (const specifier of imports.relative) {
      const target = resolveSource(file, specifier);
      if (target && !seen.has(target)) pending.push(target);
    }
  }
  return { files: [...seen].map((f) => relative(workspaceRoot, f)).sort(), packages: [...packages].sort() };
}

/** Each file's modification time and size, one string: equal stamps, same closure. */
function stampOf(workspaceRoot: string, files: readonly string[]): string {
  return files
    .map((f) => {
      try {
        const stat = statSync(join(workspaceRoot, f));
        return `${stat.mtimeMs}:${stat.size}`;
      } catch {
        return 'gone';
      }
    })
    .join(',');
}

// Many targets run the same executor (every Lambda, every foreign variant): its closure is walked
// once and reused while none of its files changed.
const closures = new Map<string, { closure: Closure; stamp: string }>();

/** The sources a closure is read from (`sourceClosure` follows .ts files only): what a stored closure's key must cover. */
export const CLOSURE_SOURCES = { include: [`${EXECUTORS_DIR}/src/**/*.ts`], exclude: [`${EXECUTORS_DIR}/src/**/*.spec.ts`] };

// Bump when what a closure holds or how it is walked changes: stored closures of another format are dropped.
const STORE_FORMAT = 1;

interface Store {
  workspaceRoot: string;
  file: string;
  key: string;
  closures: Record<string, Closure>;
  /** Closures walked since the file was read or written. */
  unsaved: boolean;
}
let store: Store | undefined;

/**
 * Every executor's closure kept on disk (`file`) between nx commands, valid under `key`, which must
 * change whenever a file of CLOSURE_SOURCES does (the caller hashes them, e.g. with Nx's workspace
 * context, which holds their hashes anyway): a graph computation under the same key reads the
 * closures back instead of walking the imports and checking every file's stamp (~2,600 stats).
 * What is walked under a new key is written by saveStoredClosures.
 */
export function useStoredClosures(workspaceRoot: string, file: string, key: string): void {
  const fullKey = `${STORE_FORMAT}:${key}`;
  if (store && store.workspaceRoot === workspaceRoot && store.file === file && store.key === fullKey) return;
  let closures: Record<string, Closure> = {};
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { key?: string; closures?: Record<string, Closure> };
    if (stored.key === fullKey && stored.closures && typeof stored.closures === 'object') closures = stored.closures;
  } catch {
    // none stored yet, or unreadable: walked again and stored
  }
  store = { workspaceRoot, file, key: fullKey, closures, unsaved: false };
}

/** Writes the closures walked since the last save (once per graph computation, not once per executor). */
export function saveStoredClosures(): void {
  if (!store?.unsaved) return;
  store.unsaved = false;
  try {
    mkdirSync(dirname(store.file), { recursive: true });
    const temp = `${store.file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify({ key: store.key, closures: store.closures })}\n`);
    renameSync(temp, store.file);
  } catch {
    // a read-only workspace walks again next time
  }
}

/** The files of executor `name` (src/executors/<name>/, schema.json included) and what they import. */
export function executorClosure(workspaceRoot: string, name: string): Closure {
  const stored = store?.workspaceRoot === workspaceRoot ? store.closures[name] : undefined;
  if (stored) return stored;
  const key = `${workspaceRoot}\0${name}`;
  const known = closures.get(key);
  let closure: Closure;
  if (known && stampOf(workspaceRoot, known.closure.files) === known.stamp) {
    closure = known.closure;
  } else {
    const folder = `${EXECUTORS_DIR}/src/executors/${name}`;
    const sources = sourceClosure(workspaceRoot, `${folder}/${name}.impl.ts`);
    closure = { files: [...sources.files, `${folder}/schema.json`].sort(), packages: sources.packages };
    closures.set(key, { closure, stamp: stampOf(workspaceRoot, closure.files) });
  }
  if (store?.workspaceRoot === workspaceRoot) {
    store.closures[name] = closure;
    store.unsaved = true;
  }
  return closure;
}

export type ToolingInput = string | { externalDependencies: string[] };

/** A target's tooling inputs for Nx: the executor's files and the loader, and their npm packages. */
export function toolingInputs(workspaceRoot: string, executor: string): ToolingInput[] {
  const { files, packages } = executorClosure(workspaceRoot, executor);
  const externalDependencies = [...new Set([...packages, ...LOADER_PACKAGES])].sort();
  return [...[...files, ...LOADER].map((f) => `{workspaceRoot}/${f}`), { externalDependencies }];
}
