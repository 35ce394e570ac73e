// cfn-lint's findings, read from its JSON report, so the build decides what is
// fatal and prints only the templates that have something to say. Errors fail
// the target; warnings (lava's real templates carry three: W3045, W2506,
// W1001) are printed and fail it only when asked (failOn: warning).
import { BuildError } from '../core/errors';

export type LintLevel = 'error' | 'warning' | 'informational';

export interface LintFinding {
  /** The template, as passed to cfn-lint; undefined for a finding about cfn-lint's own configuration. */
  file?: string;
  line: number;
  column: number;
  level: LintLevel;
  rule: string;
  message: string;
}

const SEVERITY: Record<LintLevel, number> = { informational: 0, warning: 1, error: 2 };

/** Parses `cfn-lint --format json`; anything else is a cfn-lint failure named with its output's tail. */
export function parseLintReport(stdout: string): LintFinding[] {
  let report: unknown;
  try {
    report = JSON.parse(stdout);
  } catch {
    throw new BuildError('cfn-lint printed no JSON report', { detail: stdout.trim().split('\n').slice(-20).join('\n') });
  }
  if (!Array.isArray(report)) throw new BuildError('cfn-lint printed a JSON report that is not a list of findings');
  return report.map((item: Record<string, any>) => {
    const level = String(item.Level ?? '').toLowerCase();
    return {
      file: typeof item.Filename === 'string' ? item.Filename : undefined,
      line: Number(item.Location?.Start?.LineNumber ?? 0),
      column: Number(item.Location?.Start?.ColumnNumber ?? 0),
      level: (level in SEVERITY ? level : 'error') as LintLevel,
      rule: String(item.Rule?.Id ?? '?'),
      message: String(item.Message ?? '').replace(/\s+/g, ' ').trim(),
    };
  });
}

/** One line per finding, `file:line:column: RULE message`, in file then line order. */
export function formatFindings(findings: readonly LintFinding[]): string[] {
  return [...findings]
    .sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || a.line - b.line || a.column - b.column)
    .map((f) => `${f.file ? `${f.file}:${f.line}:${f.column}` : 'cfn-lint'}: ${f.rule} ${f.message}`);
}

export interface LintVerdict {
  /** The findings at or above failOn. */
  fatal: LintFinding[];
  /** The closing line: what was found where, or that all is clean. */
  summary: string;
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** What the findings mean for the target: which are fatal, and one line that sums them up. */
export function lintVerdict(findings: readonly LintFinding[], failOn: LintLevel, templates: number): LintVerdict {
  const fatal = findings.filter((f) => SEVERITY[f.level] >= SEVERITY[failOn]);
  const files = [...new Set(findings.map((f) => f.file ?? 'cfn-lint configuration'))].sort();
  if (findings.length === 0) return { fatal, summary: `cfn-lint: ${count(templates, 'template')} clean` };
  const byLevel = (['error', 'warning', 'informational'] as const)
    .map((level) => [level, findings.filter((f) => f.level === level).length] as const)
    .filter(([, n]) => n > 0)
    .map(([level, n]) => count(n, level === 'informational' ? 'informational finding' : level))
    .join(', ');
  const where = `${byLevel} in ${files.join(', ')}`;
  if (fatal.length > 0) return { fatal, summary: `cfn-lint found ${where}` };
  const stricter = failOn === 'error' ? 'warning' : 'informational';
  return { fatal, summary: `cfn-lint: ${where} (not fatal; --failOn=${stricter} makes them fail)` };
}
