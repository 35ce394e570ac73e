// What a cacheable task read, as Nx hashed it, and what changed between two such readings:
// the answer to "why did it miss the cache?" (Nx has no local one).
//
// A manifest holds hashes only. Environment inputs keep the hash Nx itself folds into the task
// hash (never the value); option values that look like credentials keep a sha256 of the value.
import { createHash } from 'node:crypto';
import { redactUrl } from '../core/redact';

/** Where the cache entry of a hash came from: a run on this machine or a remote cache. */
export type Origin = 'local' | 'remote';

export interface InputManifest {
  /** The task id, `<project>:<target>[:<configuration>]`. */
  task: string;
  /** Nx's hash of the task: its cache key. */
  hash: string;
  /** The cache entry's origin and when it was made (a local run's end, a remote restore's). */
  origin: Origin;
  at: string;
  /** Nx's own hash details: the command, and one hash per input node (fileset, env, runtime, …). */
  command: string;
  nodes: Record<string, string>;
  /** Every input file, workspace-relative path → Nx's hash of its content. */
  files: Record<string, string>;
  /** Every dependency output file read (dependentTasksOutputFiles), path → hash. */
  depOutputs: Record<string, string>;
  /** The target's options as the executor receives them (credential-like values hashed). */
  options: Record<string, unknown>;
  /** The rest of the target's definition Nx hashes with its project: executor, inputs, outputs, dependsOn. */
  target: Record<string, unknown>;
}

export type InputKind = 'file' | 'env' | 'runtime' | 'dependency output' | 'option' | 'target' | 'external' | 'configuration' | 'command';

export interface InputChange {
  kind: InputKind;
  /** A path, a variable name, a runtime command, an option name, a node name. */
  name: string;
  /** Hashes or (non-secret) option values; absent for an input added or removed, and never for env. */
  before?: string;
  after?: string;
  change: 'changed' | 'added' | 'removed';
}

type NodeKind = Exclude<InputKind, 'file' | 'option' | 'target' | 'command'> | 'fileset';

/**
 * Which kind of input one of Nx's hash nodes is. Nx names them `env:<NAME>`, `runtime:<command>`,
 * `AllExternalDependencies` or `npm:<package>`, `<project>:ProjectConfiguration`,
 * `<project>:TsConfig`, `<project>:<fileset>` and `workspace:[<filesets>]` (files), and
 * `<glob>:<output dir>` for a dependency's output files.
 */
export function nodeKind(node: string, projects: ReadonlySet<string>): NodeKind {
  if (node.startsWith('env:')) return 'env';
  if (node.startsWith('runtime:')) return 'runtime';
  if (node === 'AllExternalDependencies' || node.startsWith('npm:')) return 'external';
  if (node.startsWith('workspace:')) return 'fileset';
  const colon = node.indexOf(':');
  const project = colon < 0 ? node : node.slice(0, colon);
  if (projects.has(project)) {
    const rest = node.slice(colon + 1);
    return rest === 'ProjectConfiguration' || rest === 'TsConfig' ? 'configuration' : 'fileset';
  }
  return 'dependency output';
}

function diffMaps(kind: InputKind, before: Record<string, string>, after: Record<string, string>): InputChange[] {
  const changes: InputChange[] = [];
  for (const name of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const old = before[name];
    const now = after[name];
    if (old === now) continue;
    if (old === undefined) changes.push({ kind, name, after: now, change: 'added' });
    else if (now === undefined) changes.push({ kind, name, before: old, change: 'removed' });
    else changes.push({ kind, name, before: old, after: now, change: 'changed' });
  }
  return changes;
}

function flatten(value: unknown, prefix: string, into: Record<string, string>): Record<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) into[prefix] = '{}';
    for (const [key, inner] of entries) flatten(inner, prefix ? `${prefix}.${key}` : key, into);
  } else if (prefix) {
    into[prefix] = JSON.stringify(value);
  }
  return into;
}

/**
 * What changed from the manifest of the last cached run to the current one, most telling first:
 * files, environment, runtime, dependency outputs, options, the target's definition, then the
 * nodes nothing above explains (the project's configuration, external packages, the command line).
 */
export function diffManifests(before: InputManifest, after: InputManifest, projects: ReadonlySet<string>): InputChange[] {
  const nodeChanges = diffMaps('configuration', before.nodes, after.nodes);
  /** The changed nodes of one kind, as changes of `kind`, named without their `prefix`. */
  const nodesOf = (which: NodeKind, kind: InputKind, prefix = ''): InputChange[] =>
    nodeChanges.filter((c) => nodeKind(c.name, projects) === which).map((c) => ({ ...c, kind, name: c.name.slice(prefix.length) }));
  const files = diffMaps('file', before.files, after.files);
  const depOutputs = diffMaps('dependency output', before.depOutputs, after.depOutputs);
  const options = diffMaps('option', flatten(before.options, '', {}), flatten(after.options, '', {}));
  // A manifest recorded before targets were part of it: nothing to compare, rather than every field "added".
  const target = before.target && after.target ? diffMaps('target', flatten(before.target, '', {}), flatten(after.target, '', {})) : [];
  // Names only: the hash of a variable's value is not shown either.
  const env = nodesOf('env', 'env', 'env:').map(({ kind, name, change }) => ({ kind, name, change }));
  const runtime = nodesOf('runtime', 'runtime', 'runtime:');
  // A fileset's hash is its files' hashes: the file lines say it better. Only a fileset whose files
  // did not change (a file matched differently) is named itself; likewise a dependency output node.
  const filesets = files.length > 0 ? [] : nodesOf('fileset', 'file');
  const outputNodes = depOutputs.length > 0 ? [] : nodesOf('dependency output', 'dependency output');
  // The project's configuration hash covers the target's options and definition: named only when
  // neither explains it (another target of the project changed, say).
  const configuration = options.length + target.length > 0 ? [] : nodesOf('configuration', 'configuration');
  const command: InputChange[] =
    before.command === after.command ? [] : [{ kind: 'command', name: 'configuration and command-line overrides', before: before.command, after: after.command, change: 'changed' }];
  return [...files, ...filesets, ...env, ...runtime, ...depOutputs, ...outputNodes, ...options, ...target, ...configuration, ...nodesOf('external', 'external'), ...command];
}

const CREDENTIAL_KEY = /(pass(word)?|secret|token|credential|api[-_]?key|auth)/i;
const URL_USERINFO = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/@]+@/i;

function fingerprint(value: unknown): string {
  return `*** (sha256 ${createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16)})`;
}

/**
 * Options as a manifest may store and print them: a value under a credential-like key, or a
 * string holding URL credentials, is replaced by a fingerprint that still shows it changed.
 */
export function protectOptions(options: Record<string, unknown>): Record<string, unknown> {
  const walk = (value: unknown, key: string): unknown => {
    if (CREDENTIAL_KEY.test(key) && value !== undefined && value !== null && value !== '') return fingerprint(value);
    if (typeof value === 'string') return URL_USERINFO.test(value) ? `${redactUrl(value)} ${fingerprint(value)}` : value;
    if (Array.isArray(value)) return value.map((inner) => walk(inner, key));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    return value;
  };
  return walk(options, '') as Record<string, unknown>;
}

const LABEL: Record<InputKind, string> = {
  file: 'file',
  env: 'env',
  runtime: 'runtime',
  'dependency output': 'dependency output',
  option: 'option',
  target: 'target',
  external: 'external packages',
  configuration: 'project configuration',
  command: 'command',
};

/** One line per change: `  file  packages/lambda/stop/stop.py  123 → 456`. Env values never appear. */
export function formatChange(change: InputChange): string {
  const label = LABEL[change.kind].padEnd(22);
  if (change.kind === 'env') return `  ${label}${change.name} (${change.change}; value not shown)`;
  if (change.change === 'added') return `  ${label}${change.name} (added${change.after !== undefined ? `: ${change.after}` : ''})`;
  if (change.change === 'removed') return `  ${label}${change.name} (removed)`;
  return `  ${label}${change.name}  ${change.before} → ${change.after}`;
}
