import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheStatus, copyWorkspace, type TempWorkspace } from './support/workspace';

const TEMPLATES = ['lava-common', 'lava-realm', 'lava-worker'];

// make's etc/json-inject, in Python: the reference the built bytes must equal.
const JSON_INJECT = `
import json, sys
t = json.load(open(sys.argv[1]))
t["Parameters"]["Version"]["Default"] = sys.argv[2]
t["Parameters"]["Version"]["AllowedValues"] = json.loads('["%s"]' % sys.argv[2])
sys.stdout.write(json.dumps(t, sort_keys=True, indent=4) + "\\n")
`;

let ws: TempWorkspace;
const built = (name: string) => readFileSync(ws.path('dist/cfn', `${name}.cfn.json`), 'utf8');

beforeAll(() => {
  ws = copyWorkspace({ prefix: 'lava-cfn' });
});
afterAll(() => ws.remove());

describe('cfn:build', () => {
  it('writes each template with the version injected, byte-identical to make json-inject', () => {
    const run = ws.nx(['run', 'cfn:build']);
    expect(run.exitCode, run.output).toBe(0);
    expect(readdirSync(ws.path('dist/cfn')).sort()).toEqual(TEMPLATES.map((t) => `${t}.cfn.json`));
    for (const name of TEMPLATES) {
      const expected = execFileSync('python3', ['-c', JSON_INJECT, ws.path('packages/cfn', `${name}.cfn.json`), '8.2.0']).toString();
      expect(built(name)).toBe(expected);
      const parameter = JSON.parse(built(name)).Parameters.Version;
      expect(parameter.Default).toBe('8.2.0');
      expect(parameter.AllowedValues).toEqual(['8.2.0']);
    }
  });

  it('is a cache hit the second time, and restores dist byte-identical after rm -rf dist', () => {
    const before = TEMPLATES.map(built);
    const again = ws.nx(['run', 'cfn:build']);
    expect(cacheStatus(again.output, 'cfn:build')).toBe('local');
    rmSync(ws.path('dist'), { recursive: true, force: true });
    const restored = ws.nx(['run', 'cfn:build']);
    expect(cacheStatus(restored.output, 'cfn:build')).toBe('local');
    expect(TEMPLATES.map(built)).toEqual(before);
  });

  it('rebuilds when a template or the version changes, not when a README does', () => {
    writeFileSync(ws.path('packages/cfn/README.md'), `${readFileSync(ws.path('packages/cfn/README.md'), 'utf8')}\nMore words.\n`);
    expect(cacheStatus(ws.nx(['run', 'cfn:build']).output, 'cfn:build')).toBe('local');

    const worker = ws.path('packages/cfn/lava-worker.cfn.json');
    writeFileSync(worker, readFileSync(worker, 'utf8').replace('"Default": 2,', '"Default": 3,'));
    const edited = ws.nx(['run', 'cfn:build']);
    expect(cacheStatus(edited.output, 'cfn:build')).toBe('miss');
    expect(JSON.parse(built('lava-worker')).Parameters.MaxWorkers.Default).toBe(3);

    writeFileSync(ws.path('packages/lava/lava/VERSION.json'), '{"__version_num__": "8.2.1", "__version_name__": "Kilauea"}\n');
    const bumped = ws.nx(['run', 'cfn:build']);
    expect(cacheStatus(bumped.output, 'cfn:build')).toBe('miss');
    expect(JSON.parse(built('lava-realm')).Parameters.Version.AllowedValues).toEqual(['8.2.1']);
  });

  it('fails on a broken template with file:line:column and one line, leaving dist/cfn untouched', () => {
    const before = Object.fromEntries(readdirSync(ws.path('dist/cfn')).map((f) => [f, readFileSync(ws.path('dist/cfn', f), 'utf8')]));
    const realm = ws.path('packages/cfn/lava-realm.cfn.json');
    const good = readFileSync(realm, 'utf8');
    writeFileSync(realm, good.replace('"Environment": {', '"Environment": {,'));
    const run = ws.nx(['run', 'cfn:build', '--skip-nx-cache']);
    writeFileSync(realm, good);
    expect(run.exitCode).not.toBe(0);
    const errors = run.output.split('\n').filter((l) => l.includes('✖'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/✖ cfn:build: packages\/cfn\/lava-realm\.cfn\.json:\d+:\d+: invalid JSON: expected a property name in double quotes, found ","/);
    const after = Object.fromEntries(readdirSync(ws.path('dist/cfn')).map((f) => [f, readFileSync(ws.path('dist/cfn', f), 'utf8')]));
    expect(after).toEqual(before);
  });

  it('says so when a template has no Parameters.Version', () => {
    const common = ws.path('packages/cfn/lava-common.cfn.json');
    const good = readFileSync(common, 'utf8');
    const template = JSON.parse(good);
    delete template.Parameters.Version;
    writeFileSync(common, JSON.stringify(template, null, 2));
    const run = ws.nx(['run', 'cfn:build']);
    writeFileSync(common, good);
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain('✖ cfn:build: packages/cfn/lava-common.cfn.json: no Parameters.Version;');
  });
});

describe('cfn:doc and cfn:lint', () => {
  it('documents every parameter, resource and output of each built template, in md and html', () => {
    const run = ws.nx(['run', 'cfn:doc']);
    expect(run.exitCode, run.output).toBe(0);
    for (const name of TEMPLATES) {
      const template = JSON.parse(built(name));
      for (const format of ['md', 'html']) {
        const doc = readFileSync(ws.path('dist/cfn', `${name}.cfn.${format}`), 'utf8');
        for (const key of [...Object.keys(template.Parameters), ...Object.keys(template.Resources), ...Object.keys(template.Outputs)]) {
          expect(doc, `${name}.cfn.${format} lacks ${key}`).toContain(key);
        }
        expect(doc).toContain(template.Description);
      }
    }
  });

  it('lints the built templates clean, and fails naming the finding and only its template when one is wrong', () => {
    const clean = ws.nx(['run', 'cfn:lint']);
    expect(clean.exitCode, clean.output).toBe(0);
    expect(clean.output).toContain('cfn-lint: 3 templates clean');
    const worker = ws.path('packages/cfn/lava-worker.cfn.json');
    const good = readFileSync(worker, 'utf8');
    writeFileSync(worker, good.replace('"Ref": "WorkQueue"', '"Ref": "NoSuchQueue"'));
    const dirty = ws.nx(['run', 'cfn:lint']);
    writeFileSync(worker, good);
    expect(dirty.exitCode).not.toBe(0);
    expect(dirty.output).toMatch(/dist\/cfn\/lava-worker\.cfn\.json:\d+:\d+: E\d{4} .*NoSuchQueue/);
    expect(dirty.output).toMatch(/✖ cfn:lint: cfn-lint found \d+ errors? in dist\/cfn\/lava-worker\.cfn\.json\n/);
    // Only the template with a finding is named (cfn:build's replayed output lists all three before).
    expect(dirty.output.slice(dirty.output.indexOf('> nx run cfn:lint'))).not.toMatch(/lava-(common|realm)\.cfn\.json/);
  });

  it('names the target that creates a missing Python environment', () => {
    const lonely = copyWorkspace({ prefix: 'lava-novenv' });
    try {
      rmSync(lonely.path('.venv'));
      expect(lonely.nx(['run', 'cfn:build']).exitCode).toBe(0);
      const run = lonely.nx(['run', 'cfn:doc', '--exclude-task-dependencies']);
      expect(run.exitCode).not.toBe(0);
      expect(run.output).toContain('✖ cfn:doc: no Python environment with cfdoc at .venv; run: npx nx run python-env:init');
      expect(existsSync(lonely.path('dist/cfn/lava-common.cfn.md'))).toBe(false);
    } finally {
      lonely.remove();
    }
  });
});
