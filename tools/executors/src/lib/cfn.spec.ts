import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTemplate, templateFiles } from './cfn';
import { tempDir } from './testing/temp-dir';

const CFN_DIR = resolve(__dirname, '../../../../packages/cfn');

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
    const built = buildTemplate(readFileSync(source, 'utf8'), file, '8.2.0');
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

  it('lists templates in byte order and only *.cfn.json', () => {
    const dir = tempDir('cfn-spec-');
    for (const name of ['b.cfn.json', 'B.cfn.json', 'a.cfn.json', 'notes.json', 'README.md']) writeFileSync(join(dir, name), '{}');
    expect(templateFiles(dir)).toEqual(['B.cfn.json', 'a.cfn.json', 'b.cfn.json']);
  });
});
