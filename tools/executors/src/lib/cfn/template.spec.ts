import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTemplate, templateFiles } from './template';
import { tempDir } from '../../testing/temp-dir';

const CFN_DIR = resolve(__dirname, '../../../../../packages/cfn');
// The real lava tree, read-only test data beside the workspace (or beside the
// main checkout, for a git worktree one level further down).
const UPSTREAM =
  ['../../../../../../shared/upstream/lava', '../../../../../../../shared/upstream/lava']
    .map((path) => resolve(__dirname, path))
    .find((path) => existsSync(path)) ?? resolve(__dirname, '../../../../../../shared/upstream/lava');

// What make's etc/json-inject did, in Python: set the two dotted paths, then
// json.dumps(sort_keys=True, indent=4) with ASCII escapes and a final newline.
const JSON_INJECT = `
import json, sys
t = json.load(open(sys.argv[1]))
t["Parameters"]["Version"]["Default"] = sys.argv[2]
t["Parameters"]["Version"]["AllowedValues"] = json.loads('["%s"]' % sys.argv[2])
sys.stdout.write(json.dumps(t, sort_keys=True, indent=4) + "\\n")
`;

describe('buildTemplate', () => {
  it.each(templateFiles(CFN_DIR))('%s is byte-identical to what json-inject wrote', (file) => {
    const source = join(CFN_DIR, file);
    const expected = execFileSync('python3', ['-c', JSON_INJECT, source, '8.2.0']).toString();
    const { text: built, skipped } = buildTemplate(readFileSync(source, 'utf8'), file, '8.2.0');
    expect(skipped).toBeUndefined();
    expect(built).toBe(expected);
    const parsed = JSON.parse(built);
    expect(parsed.Parameters.Version.Default).toBe('8.2.0');
    expect(parsed.Parameters.Version.AllowedValues).toEqual(['8.2.0']);
  });

  it('refuses a template without Parameters.Version', () => {
    expect(() => buildTemplate('{"Parameters": {"Other": {"Type": "String"}}}', 'x.cfn.json', '8.2.0')).toThrow(
      'x.cfn.json: no Parameters.Version;',
    );
  });

  it('refuses a version its own AllowedPattern would reject at deploy time', () => {
    const text = '{"Parameters": {"Version": {"Type": "String", "AllowedPattern": "^\\\\d+\\\\.\\\\d+\\\\.\\\\d+$"}}}';
    expect(() => buildTemplate(text, 'x.cfn.json', '8.3.0rc1')).toThrow(/version 8\.3\.0rc1 does not match Parameters\.Version\.AllowedPattern/);
  });

  it('checks a Java pattern JavaScript cannot compile as written (a quantified anchor)', () => {
    const text = (pattern: string) => JSON.stringify({ Parameters: { Version: { Type: 'String', AllowedPattern: pattern } } });
    const pattern = '^?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)$';
    expect(buildTemplate(text(pattern), 'x.cfn.json', '8.2.0').skipped).toBeUndefined();
    expect(() => buildTemplate(text(pattern), 'x.cfn.json', '8.2.0rc1')).toThrow('x.cfn.json: version 8.2.0rc1 does not match');
  });

  it('builds, and says in one line what it skipped, when a pattern has no JavaScript translation', () => {
    const text = JSON.stringify({ Parameters: { Version: { Type: 'String', AllowedPattern: '(?i)\\d+\\.\\d+\\.\\d+' } } });
    const built = buildTemplate(text, 'packages/cfn/x.cfn.json', '8.2.0');
    expect(JSON.parse(built.text).Parameters.Version.Default).toBe('8.2.0');
    expect(built.skipped).toBe(
      'packages/cfn/x.cfn.json: Parameters.Version: version 8.2.0 not checked against AllowedPattern (?i)\\d+\\.\\d+\\.\\d+ (inline flags "(?i)": no exact JavaScript translation); CloudFormation checks it at deploy time',
    );
    expect(built.skipped).not.toContain('\n');
  });

  describe.skipIf(!existsSync(join(UPSTREAM, 'etc/json-inject')))('the real lava templates', () => {
    it.each(['lava-common', 'lava-realm', 'lava-worker'])('%s is byte-identical to the real etc/json-inject', (name) => {
      const source = join(UPSTREAM, 'cfn', `${name}.cfn.json`);
      const expected = execFileSync('python3', ['etc/json-inject', '-d', 'Parameters.Version.Default=8.2.0', '-j', 'Parameters.Version.AllowedValues=["8.2.0"]'], {
        cwd: UPSTREAM,
        input: readFileSync(source),
      }).toString();
      const built = buildTemplate(readFileSync(source, 'utf8'), `cfn/${name}.cfn.json`, '8.2.0');
      expect(built.skipped).toBeUndefined();
      expect(built.text).toBe(expected);
    });
  });

  it('lists templates in byte order and only *.cfn.json', () => {
    const dir = tempDir('cfn-spec-');
    for (const name of ['b.cfn.json', 'B.cfn.json', 'a.cfn.json', 'notes.json', 'README.md']) writeFileSync(join(dir, name), '{}');
    expect(templateFiles(dir)).toEqual(['B.cfn.json', 'a.cfn.json', 'b.cfn.json']);
  });
});
