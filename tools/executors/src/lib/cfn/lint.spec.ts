import { describe, expect, it } from 'vitest';
import { formatFindings, lintVerdict, parseLintReport, type LintFinding } from './lint';

const finding = (file: string | null, level: string, rule: string, line: number, message = 'something') => ({
  Filename: file,
  Level: level,
  Location: { Start: { LineNumber: line, ColumnNumber: 3 }, End: { LineNumber: line, ColumnNumber: 9 } },
  Message: message,
  Rule: { Id: rule },
});

describe('parseLintReport', () => {
  it('reads the JSON report', () => {
    const report = JSON.stringify([finding('dist/cfn/b.cfn.json', 'Warning', 'W3045', 12, "'AccessControl' is\n a legacy property")]);
    expect(parseLintReport(report)).toEqual([
      { file: 'dist/cfn/b.cfn.json', line: 12, column: 3, level: 'warning', rule: 'W3045', message: "'AccessControl' is a legacy property" },
    ]);
    expect(parseLintReport('[]\n')).toEqual([]);
  });

  it('fails with cfn-lint output when there is no report', () => {
    expect(() => parseLintReport('Traceback (most recent call last):\nKeyError')).toThrow('cfn-lint printed no JSON report');
  });
});

describe('formatFindings and lintVerdict', () => {
  const findings: LintFinding[] = parseLintReport(
    JSON.stringify([
      finding('dist/cfn/worker.cfn.json', 'Warning', 'W1001', 726),
      finding('dist/cfn/realm.cfn.json', 'Warning', 'W3045', 2554),
      finding('dist/cfn/worker.cfn.json', 'Warning', 'W2506', 178),
    ]),
  );

  it('prints one line per finding, by file and line', () => {
    expect(formatFindings(findings)).toEqual([
      'dist/cfn/realm.cfn.json:2554:3: W3045 something',
      'dist/cfn/worker.cfn.json:178:3: W2506 something',
      'dist/cfn/worker.cfn.json:726:3: W1001 something',
    ]);
    expect(formatFindings(parseLintReport(JSON.stringify([finding(null, 'Error', 'E0003', 1, 'x could not be processed')])))).toEqual([
      'cfn-lint: E0003 x could not be processed',
    ]);
  });

  it('passes warnings by default, naming only the templates with findings', () => {
    expect(lintVerdict(findings, 'error', 3)).toEqual({
      fatal: [],
      summary: 'cfn-lint: 3 warnings in dist/cfn/realm.cfn.json, dist/cfn/worker.cfn.json (not fatal; --failOn=warning makes them fail)',
    });
  });

  it('fails on warnings when told to, and on errors always', () => {
    const strict = lintVerdict(findings, 'warning', 3);
    expect(strict.fatal).toHaveLength(3);
    expect(strict.summary).toBe('cfn-lint found 3 warnings in dist/cfn/realm.cfn.json, dist/cfn/worker.cfn.json');
    const withError = [...findings, ...parseLintReport(JSON.stringify([finding('dist/cfn/common.cfn.json', 'Error', 'E3012', 4)]))];
    const verdict = lintVerdict(withError, 'error', 3);
    expect(verdict.fatal.map((f) => f.rule)).toEqual(['E3012']);
    expect(verdict.summary).toBe('cfn-lint found 1 error, 3 warnings in dist/cfn/common.cfn.json, dist/cfn/realm.cfn.json, dist/cfn/worker.cfn.json');
  });

  it('says how many templates are clean', () => {
    expect(lintVerdict([], 'error', 3)).toEqual({ fatal: [], summary: 'cfn-lint: 3 templates clean' });
  });
});
