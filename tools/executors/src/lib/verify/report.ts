// The reproducibility report: how the two builds differed in setting, then one line per artefact
// (its sha256 when both builds agree, both hashes and the first differing entry when they do
// not), the skipped tasks in one line with the command that brings them in, and the count.
import type { Comparison } from './artefacts';
import type { Skip } from './outcome';

export interface BuildSetting {
  label: 'A' | 'B';
  root: string;
  umask: number;
  /** "root (uid 0)", or "same user: <why another could not be used>". */
  user: string;
  sourcesTime?: string;
  /** TZ of the build ("unset": the machine's zone). */
  timezone?: string;
  started: string;
  seconds: number;
  /** Tasks that failed in this build. */
  failed: string[];
}

export interface VerifyReport {
  commit: string;
  subject: string;
  /** The workspace had uncommitted changes, which the clones do not hold. */
  dirty: boolean;
  builds: BuildSetting[];
  artefacts: Array<Comparison & { diffoscope?: string }>;
  /** Tasks not built: no docker engine, or the outside world out of reach (and what waits for them). */
  skipped: Skip[];
  /** Where diffoscope was not found: said once, so a reader knows the entry-level diff stands alone. */
  diffoscope?: string;
}

const umaskText = (umask: number) => umask.toString(8).padStart(4, '0');

export function renderReport(r: VerifyReport): string {
  const subject = r.subject.length > 60 ? `${r.subject.slice(0, 59)}…` : r.subject;
  const lines = [`Reproducibility of ${r.commit.slice(0, 12)} "${subject}": built twice, --skip-nx-cache, in two clones`];
  for (const b of r.builds) {
    const sources = b.sourcesTime ? `sources dated ${b.sourcesTime}` : 'sources as checked out';
    const zone = b.timezone ? `, TZ ${b.timezone}` : '';
    lines.push(`  ${b.label}  ${b.root}  umask ${umaskText(b.umask)}, ${b.user}, ${sources}${zone}, built at ${b.started} in ${b.seconds.toFixed(0)} s`);
  }
  lines.push('  SOURCE_DATE_EPOCH unset in both builds');
  if (r.dirty) lines.push('  the workspace has uncommitted changes: they are not part of this check (commit them to verify them)');
  lines.push('');
  for (const a of r.artefacts) {
    if (a.verdict === 'identical') {
      lines.push(`  identical  ${a.a}  ${a.path}  (${a.task})`);
    } else if (a.verdict === 'differ') {
      lines.push(`  DIFFERS    A ${a.a}  B ${a.b}  ${a.path}  (${a.task})`);
      lines.push(`             first difference: ${a.difference?.text}`);
      if (a.diffoscope) lines.push(`             diffoscope: ${a.diffoscope}`);
    } else {
      lines.push(`  MISSING    ${a.path}  (${a.task}): ${a.difference?.text}`);
    }
  }
  for (const s of r.skipped) lines.push(`  skipped    ${s.tasks.join(', ')}: ${s.why}; run: ${s.fix}`);
  for (const b of r.builds) {
    if (b.failed.length) lines.push(`  FAILED     in build ${b.label}: ${b.failed.join(', ')} (its output is above)`);
  }
  if (r.diffoscope) lines.push(`  ${r.diffoscope}`);
  const count = (v: Comparison['verdict']) => r.artefacts.filter((a) => a.verdict === v).length;
  const failed = r.builds.reduce((n, b) => n + b.failed.length, 0);
  lines.push('');
  lines.push(
    `${count('identical')} identical, ${count('differ')} differ, ${count('missing')} missing, ${r.skipped.reduce((n, s) => n + s.tasks.length, 0)} skipped` +
      (failed ? `, ${failed} failed` : ''),
  );
  return `${lines.join('\n')}\n`;
}

/** 0 when every artefact built was identical; 1 for a difference, a missing artefact or a failed build. */
export function verifyExitStatus(r: VerifyReport): number {
  const bad = r.artefacts.some((a) => a.verdict !== 'identical') || r.builds.some((b) => b.failed.length > 0);
  return bad ? 1 : 0;
}
