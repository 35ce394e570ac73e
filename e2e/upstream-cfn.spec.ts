// cfn on the real lava tree, adopted into a throwaway workspace: the built
// templates are byte-identical to what make's etc/json-inject writes (run from
// the real tree at test time), cfdoc documents all three, and cfn-lint passes
// them, printing the real templates' warnings and naming only the templates
// that have any.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adoptedWorkspace, UPSTREAM_LAVA, upstreamSkipReason } from './support/upstream';
import type { TempWorkspace } from './support/workspace';

const skip = upstreamSkipReason();
const TEMPLATES = ['lava-common', 'lava-realm', 'lava-worker'];

/** make's recipe: `etc/json-inject -d Parameters.Version.Default=<V> -j Parameters.Version.AllowedValues='["<V>"]' < src`. */
function jsonInject(name: string, version: string): string {
  return execFileSync('python3', ['etc/json-inject', '-d', `Parameters.Version.Default=${version}`, '-j', `Parameters.Version.AllowedValues=["${version}"]`], {
    cwd: UPSTREAM_LAVA,
    input: readFileSync(join(UPSTREAM_LAVA, 'cfn', `${name}.cfn.json`)),
  }).toString();
}

describe.skipIf(skip)('cfn on the real lava tree', () => {
  let ws: TempWorkspace;
  let version: string;
  beforeAll(() => {
    ws = adoptedWorkspace({ prefix: 'lava-upstream-cfn' });
    version = JSON.parse(readFileSync(join(UPSTREAM_LAVA, 'lava/VERSION.json'), 'utf8')).__version_num__;
  });
  afterAll(() => ws?.remove());

  it('cfn:build writes the three templates byte-identical to the real etc/json-inject, checking the Java Version pattern', () => {
    const run = ws.nx(['run', 'cfn:build']);
    expect(run.exitCode, run.output).toBe(0);
    expect(run.output).not.toContain('Invalid regular expression');
    // The real pattern (^?…, a quantified anchor) is translated and checked, not skipped.
    expect(run.output).not.toContain('not checked against AllowedPattern');
    expect(readdirSync(ws.path('dist/cfn')).sort()).toEqual(TEMPLATES.map((t) => `${t}.cfn.json`));
    for (const name of TEMPLATES) {
      expect(readFileSync(ws.path('dist/cfn', `${name}.cfn.json`), 'utf8'), name).toBe(jsonInject(name, version));
    }
  });

  it('cfn:doc writes .md and .html for all three, each naming every parameter', () => {
    const run = ws.nx(['run', 'cfn:doc']);
    expect(run.exitCode, run.output).toBe(0);
    for (const name of TEMPLATES) {
      const template = JSON.parse(readFileSync(ws.path('dist/cfn', `${name}.cfn.json`), 'utf8'));
      for (const format of ['md', 'html']) {
        const doc = readFileSync(ws.path('dist/cfn', `${name}.cfn.${format}`), 'utf8');
        for (const parameter of Object.keys(template.Parameters)) expect(doc, `${name}.cfn.${format} lacks ${parameter}`).toContain(parameter);
      }
    }
  });

  it('cfn:lint exits 0, printing the warnings and naming only the templates that have findings', () => {
    const run = ws.nx(['run', 'cfn:lint']);
    expect(run.exitCode, run.output).toBe(0);
    const findings = run.output.split('\n').filter((l) => /^dist\/cfn\/\S+:\d+:\d+: [EWI]\d{4} /.test(l));
    expect(findings.map((l) => l.replace(/:\d+:\d+: (\w+) .*/, ' $1'))).toEqual([
      'dist/cfn/lava-realm.cfn.json W3045',
      'dist/cfn/lava-worker.cfn.json W2506',
      'dist/cfn/lava-worker.cfn.json W1001',
    ]);
    expect(run.output).toContain('cfn-lint: 3 warnings in dist/cfn/lava-realm.cfn.json, dist/cfn/lava-worker.cfn.json (not fatal; --failOn=warning makes them fail)');
    const lint = run.output.slice(run.output.indexOf('> nx run cfn:lint'));
    expect(lint).not.toContain('lava-common.cfn.json');
  });

  it('cfn:lint --failOn=warning fails on the same warnings, in one line', () => {
    const run = ws.nx(['run', 'cfn:lint', '--failOn=warning', '--skip-nx-cache']);
    expect(run.exitCode).not.toBe(0);
    expect(run.output.split('\n').filter((l) => l.startsWith('✖'))).toEqual([
      '✖ cfn:lint: cfn-lint found 3 warnings in dist/cfn/lava-realm.cfn.json, dist/cfn/lava-worker.cfn.json',
    ]);
  });
});
