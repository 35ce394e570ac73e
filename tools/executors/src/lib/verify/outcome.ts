// What one clone's build did, task by task: failed, or kept from building by the outside world
// (a base image or index out of reach: the same judgement ./build.sh makes), with the tasks that
// then never ran because they wait for it.
import { failureFrom, type PlannedTask, type RunRecord } from '../workspace/build-summary';

export interface Skip {
  tasks: string[];
  why: string;
  fix: string;
}

export interface BuildOutcome {
  /** Tasks that failed for a reason of the build's own, or did not run because such a task failed. */
  failed: string[];
  /** Tasks the outside world kept from building, grouped by cause, their dependents included. */
  skipped: Skip[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Sorts `records` (nx's run.json of the build) and the build's output into failures and skips. */
export function buildOutcome(plan: readonly PlannedTask[], records: ReadonlyMap<string, RunRecord>, output: string): BuildOutcome {
  const lines = output.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').split('\n');
  const skipped = new Map<string, Skip>();
  const causeOf = new Map<string, Skip>();
  const failed: string[] = [];
  for (const record of records.values()) {
    if (record.status === 0) continue;
    const mark = lines.filter((l) => new RegExp(`^\\s*✖ ${escape(record.taskId)}: `).test(l)).join('\n');
    const failure = failureFrom(mark);
    if (!failure.unreachable) {
      failed.push(record.taskId);
      continue;
    }
    const key = `${failure.why}\n${failure.fix ?? ''}`;
    const skip = skipped.get(key) ?? { tasks: [], why: failure.why, fix: failure.fix ?? 're-run when it is in reach' };
    skip.tasks.push(record.taskId);
    skipped.set(key, skip);
    causeOf.set(record.taskId, skip);
  }
  // A task that never ran waits, directly or not, for one that failed or was skipped.
  const byId = new Map(plan.map((t) => [t.id, t]));
  const blame = (id: string, seen = new Set<string>()): Skip | 'failed' | undefined => {
    if (seen.has(id)) return undefined;
    seen.add(id);
    if (causeOf.has(id)) return causeOf.get(id);
    if (failed.includes(id)) return 'failed';
    for (const dep of byId.get(id)?.deps ?? []) {
      const found = blame(dep, seen);
      if (found) return found;
    }
    return undefined;
  };
  for (const task of plan) {
    if (task.continuous || records.has(task.id)) continue;
    const cause = blame(task.id);
    if (cause === 'failed' || cause === undefined) failed.push(task.id);
    else cause.tasks.push(task.id);
  }
  return { failed, skipped: [...skipped.values()] };
}
