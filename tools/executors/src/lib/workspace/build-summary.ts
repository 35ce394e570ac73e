// The closing summary of `./build.sh`: one row per task of the build, built / restored from
// cache / skipped (why, and the one command that fixes it) / failed, from what Nx itself
// recorded. Nx 24 has no per-run report file of its own choosing, so three sources are joined:
//   * the task graph of the build's targets over every project: every task, its dependencies
//     and its project's tags, as `nx run-many … --graph=<file>.json` writes it; the build-plan
//     plugin writes it after the run, from the graph the run made, when asked (requestBuildPlan);
//   * `<cacheDir>/run.json`: Nx's StoreRunInformationLifeCycle writes it when a command ends,
//     one entry per task that ran or was restored (exit code + cache status); tasks Nx skipped
//     because a dependency failed are absent from it;
//   * `<cacheDir>/terminalOutputs/<hash>`: each task's output, failed ones included; its last
//     `✖ ` line is our executors' one-line error (lib/core/executor.ts).
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { BuildError } from '../core/errors';
import { explainPull } from '../core/explain';

export type Outcome = 'built' | 'cached' | 'skipped' | 'failed';

export interface PlannedTask {
  id: string;
  project: string;
  target: string;
  /** Task ids this task waits for (discrete dependencies only). */
  deps: string[];
  continuous: boolean;
  tags: string[];
}

/** One task entry of Nx's run.json. */
export interface RunRecord {
  taskId: string;
  hash?: string;
  cacheStatus: string;
  status: number;
}

export interface RunFile {
  run: { command: string; startTime: string; endTime: string };
  tasks: RunRecord[];
}

/** Why a task was left out before the run (e.g. no docker engine), and the fix. */
export interface Exclusion {
  why: string;
  fix: string;
}

export interface Row {
  task: string;
  outcome: Outcome;
  why?: string;
  fix?: string;
  /** The outside world (a network resource or the docker engine) made it impossible, not the build. */
  unreachable?: boolean;
}

interface GraphJson {
  graph?: { nodes?: Record<string, { data?: { tags?: string[] } }> };
  tasks?: {
    tasks?: Record<string, { target: { project: string; target: string }; continuous?: boolean }>;
    dependencies?: Record<string, ({ id: string } | string)[]>;
  };
}

/** The tasks of a `nx … --graph=<file>.json` answer. */
export function planFromGraph(json: unknown, source = 'the task graph'): PlannedTask[] {
  const g = json as GraphJson;
  const tasks = g?.tasks?.tasks;
  if (!tasks || typeof tasks !== 'object') throw new BuildError(`${source} has no tasks.tasks: not an nx --graph=<file>.json answer`);
  return Object.entries(tasks).map(([id, t]) => ({
    id,
    project: t.target.project,
    target: t.target.target,
    deps: (g.tasks?.dependencies?.[id] ?? []).map((d) => (typeof d === 'string' ? d : d.id)),
    continuous: t.continuous === true,
    tags: g.graph?.nodes?.[t.target.project]?.data?.tags ?? [],
  }));
}

/** Where `./build.sh` asks the nx run it starts to write its plan: the targets and the file. */
const BUILD_PLAN_REQUEST = join('.nx', 'workspace-data', 'lava-build-plan.request.json');

export interface BuildPlanRequest {
  targets: string[];
  /** The plan file to write (absolute), in `--graph=<file>.json`'s shape. */
  output: string;
}

/** Asks the next nx run in `workspaceRoot` for its plan; the returned function withdraws the request. */
export function requestBuildPlan(workspaceRoot: string, request: BuildPlanRequest): () => void {
  const file = join(workspaceRoot, BUILD_PLAN_REQUEST);
  rmSync(request.output, { force: true });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(request)}\n`);
  return () => rmSync(file, { force: true });
}

export function readBuildPlanRequest(workspaceRoot: string): BuildPlanRequest | undefined {
  let text: string;
  try {
    text = readFileSync(join(workspaceRoot, BUILD_PLAN_REQUEST), 'utf8');
  } catch {
    return undefined;
  }
  const request = JSON.parse(text) as Partial<BuildPlanRequest>;
  if (!Array.isArray(request.targets) || typeof request.output !== 'string') throw new BuildError(`${BUILD_PLAN_REQUEST} is not a build plan request`);
  return { targets: request.targets, output: request.output };
}

interface TaskGraphLike {
  tasks: Record<string, unknown>;
  dependencies: Record<string, unknown>;
}

/** Writes a plan as `--graph=<file>.json` does (the project tags and the task graph), whole or not at all. */
export function writeBuildPlan(file: string, nodes: Record<string, { data: { tags?: string[] } }>, taskGraph: TaskGraphLike): void {
  const graph = { nodes: Object.fromEntries(Object.entries(nodes).map(([name, node]) => [name, { data: { tags: node.data.tags ?? [] } }])) };
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify({ graph, tasks: taskGraph }));
  renameSync(temp, file);
}

/** run.json, if it belongs to a command that started at or after `since` (it is overwritten by every nx command). */
export function runRecords(json: unknown, since: Date): Map<string, RunRecord> {
  const file = json as RunFile | undefined;
  const started = file?.run?.startTime ? Date.parse(file.run.startTime) : NaN;
  if (!file || !Array.isArray(file.tasks) || !(started >= since.getTime() - 1000)) return new Map();
  return new Map(file.tasks.map((t) => [t.taskId, t]));
}

// What a failed task's output says when the cause is outside this machine: a name that does
// not resolve, a connection refused or timed out, a registry that will not serve a base image.
const UNREACHABLE = [
  /\bENOTFOUND\b/, /\bEAI_AGAIN\b/, /\bECONNREFUSED\b/, /\bECONNRESET\b/, /\bETIMEDOUT\b/, /\bENETUNREACH\b/, /\bEHOSTUNREACH\b/,
  /\bcannot reach\b/i, /\bcould not reach\b/i, /\bunreachable\b/i, /\bno such host\b/i, /\bi\/o timeout\b/i,
  /\bTLS handshake timeout\b/i, /failed to resolve source metadata/i, /\bcould not be pulled\b/i, /\bcannot pull\b/i,
  /\bcould not pull\b/i, /Temporary failure in name resolution/i, /\bNetwork is unreachable\b/i,
];

export interface Failure {
  why: string;
  fix?: string;
  unreachable: boolean;
}

/** The executor's one `✖` line (else the first error-looking line) and whether the outside world is to blame. */
export function failureFrom(output: string): Failure {
  const lines = stripVTControlCharacters(output).split('\n').map((l) => l.trimEnd());
  const mark = [...lines].reverse().find((l) => /^\s*✖ /.test(l));
  let why: string;
  let fix: string | undefined;
  if (mark) {
    // "✖ project:target: problem; run: fix"
    const body = mark.replace(/^\s*✖ /, '').replace(/^[\w.@/-]+:[\w.-]+: /, '');
    const at = body.lastIndexOf('; run: ');
    why = at >= 0 ? body.slice(0, at) : body;
    fix = at >= 0 ? body.slice(at + '; run: '.length) : undefined;
  } else {
    why = lines.find((l) => /(Error|ERROR|error|failed)\b/.test(l))?.trim() ?? 'failed; see its output above';
  }
  // Our ✖ line may end in a tool's whole command line: keep the problem, drop the command.
  why = why.replace(/^(.*? failed \((?:exit code \d+|[A-Z]+)\)): .*$/, '$1');
  const errors = lines.filter((l) => /^(#\d+ )?(ERROR|error|Error)\b/.test(l.trim()) || /\bERROR:/.test(l));
  const unreachable = UNREACHABLE.some((re) => re.test(mark ?? '') || errors.some((l) => re.test(l)));
  // buildx could not pull a base image: the image, the registry and the mirror fix.
  const pull = explainPull([mark ?? '', ...errors].join('\n'));
  if (pull) return { why: shorten(pull.problem), fix: pull.fix, unreachable: true };
  return { why: shorten(why), fix, unreachable };
}

function shorten(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export interface SummaryInputs {
  plan: PlannedTask[];
  runs: Map<string, RunRecord>;
  /** The terminal output of a task that ran, by task id (only needed for failed ones). */
  outputOf: (taskId: string) => string | undefined;
  excluded?: Map<string, Exclusion>;
}

/** One row per planned task (continuous ones left out: a server is not an artefact), in plan order. */
export function summarise(i: SummaryInputs): Row[] {
  const byId = new Map(i.plan.map((t) => [t.id, t]));
  const rows = new Map<string, Row>();
  const rowOf = (id: string, trail: Set<string> = new Set()): Row => {
    const known = rows.get(id);
    if (known) return known;
    const row = decide(id, trail);
    rows.set(id, row);
    return row;
  };
  const decide = (id: string, trail: Set<string>): Row => {
    const excluded = i.excluded?.get(id);
    if (excluded) return { task: id, outcome: 'skipped', why: excluded.why, fix: excluded.fix, unreachable: true };
    const record = i.runs.get(id);
    if (record && record.status === 0) {
      return { task: id, outcome: record.cacheStatus === 'cache-miss' ? 'built' : 'cached' };
    }
    if (record) {
      const failure = failureFrom(i.outputOf(id) ?? '');
      // A failure whose fix is to run another task that the outside world stopped is a skip too.
      const blocker = [...i.runs.keys(), ...(i.excluded?.keys() ?? [])].find((other) => other !== id && failure.fix?.includes(other));
      const blockerRow = blocker && !trail.has(blocker) ? rowOf(blocker, new Set([...trail, id])) : undefined;
      if (!failure.unreachable && blockerRow?.unreachable && blockerRow.outcome !== 'built' && blockerRow.outcome !== 'cached') {
        return { task: id, outcome: 'skipped', why: `needs ${blocker}: ${blockerRow.why}`, fix: blockerRow.fix, unreachable: true };
      }
      return { task: id, outcome: failure.unreachable ? 'skipped' : 'failed', why: failure.why, fix: failure.fix, unreachable: failure.unreachable };
    }
    // Not run: Nx skips a task whose dependency failed; name the first one that did not succeed.
    for (const dep of byId.get(id)?.deps ?? []) {
      if (trail.has(dep)) continue;
      const depRow = rowOf(dep, new Set([...trail, id]));
      if (depRow.outcome === 'skipped' || depRow.outcome === 'failed') {
        const root = depRow.why?.startsWith('needs ') ? depRow.why : `needs ${dep}: ${depRow.why ?? depRow.outcome}`;
        return { task: id, outcome: depRow.unreachable ? 'skipped' : 'failed', why: root, fix: depRow.fix, unreachable: depRow.unreachable };
      }
    }
    return { task: id, outcome: 'failed', why: 'not run: nx stopped before it (see the output above)' };
  };
  return i.plan.filter((t) => !t.continuous).map((t) => rowOf(t.id));
}

const LABEL: Record<Outcome, string> = { built: '✔ built', cached: '✔ cached', skipped: '⚠ skipped', failed: '✖ failed' };

/** The summary block: failed first, then skipped, then what is there; one line each. */
export function renderSummary(rows: readonly Row[]): string {
  const order: Outcome[] = ['failed', 'skipped', 'built', 'cached'];
  const sorted = [...rows].sort((a, b) => order.indexOf(a.outcome) - order.indexOf(b.outcome) || a.task.localeCompare(b.task));
  const width = Math.max(0, ...rows.map((r) => r.task.length));
  const lines = sorted.map((r) => {
    const head = `${LABEL[r.outcome].padEnd(10)} ${r.task.padEnd(width)}`;
    const why = r.why ? `  ${r.why}` : '';
    const fix = r.fix ? `; run: ${r.fix}` : '';
    return `${head}${why}${fix}`.trimEnd();
  });
  const count = (o: Outcome) => rows.filter((r) => r.outcome === o).length;
  const totals = `${count('built')} built, ${count('cached')} restored from cache, ${count('skipped')} skipped, ${count('failed')} failed`;
  return ['', 'Build summary', ...lines, totals, ''].join('\n');
}

/**
 * The exit status: 1 when something that could have been built failed. What was skipped
 * because the outside world is out of reach (no engine, no network to a base image, an index
 * or Oracle's site) is not the build's fault and exits 0, unless `strict` (CI), which exits 3.
 */
export function exitStatus(rows: readonly Row[], strict = false): number {
  if (rows.some((r) => r.outcome === 'failed')) return 1;
  if (strict && rows.some((r) => r.outcome === 'skipped')) return 3;
  return 0;
}
