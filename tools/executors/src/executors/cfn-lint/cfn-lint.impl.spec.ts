import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureOutput, fakeContext } from '../../testing/executor-context';
import cfnBuild from '../cfn-build/cfn-build.impl';
import cfnLint from './cfn-lint.impl';
import { tempDir } from '../../testing/temp-dir';

const WORKSPACE = resolve(__dirname, '../../../../..');
// The real lava tree, read-only test data beside the workspace (or beside the main checkout of a worktree).
const UPSTREAM = ['../shared/upstream/lava', '../../shared/upstream/lava'].map((p) => resolve(WORKSPACE, p)).find((p) => existsSync(p));
let root: string;

beforeEach(async () => {
  root = tempDir('cfn-lint-spec-');
  cpSync(join(WORKSPACE, 'packages/cfn'), join(root, 'packages/cfn'), { recursive: true });
  mkdirSync(join(root, 'packages/lava/lava'), { recursive: true });
  writeFileSync(join(root, 'packages/lava/lava/VERSION.json'), '{"__version_num__": "8.2.0", "__version_name__": "Kilauea"}');
  symlinkSync(join(WORKSPACE, '.venv'), join(root, '.venv'));
});
afterEach(() => {
  vi.restoreAllMocks();
});

const lint = (options = {}) => cfnLint(options, fakeContext(root, 'cfn', 'packages/cfn', 'lint'));
const edit = (name: string, change: (template: any) => void) => {
  const source = join(root, 'packages/cfn', name);
  const template = JSON.parse(readFileSync(source, 'utf8'));
  change(template);
  writeFileSync(source, JSON.stringify(template, null, 2));
};

describe('cfn-lint', () => {
  it('passes the built templates, which the sources would not (their Version default is a warning)', async () => {
    await cfnBuild({}, fakeContext(root, 'cfn', 'packages/cfn'));
    const output = captureOutput();
    expect(await lint()).toEqual({ success: true });
    expect(output.stdout()).toBe('cfn-lint: 3 templates clean\n');
    expect((await lint({ outputPath: 'packages/cfn', failOn: 'warning' })).success).toBe(false);
  });

  it('prints a warning naming only its template and passes, unless warnings are made fatal', async () => {
    edit('lava-common.cfn.json', (t) => (t.Conditions = { Unused: { 'Fn::Equals': ['a', 'b'] } }));
    await cfnBuild({}, fakeContext(root, 'cfn', 'packages/cfn'));
    const output = captureOutput();
    expect(await lint()).toEqual({ success: true });
    const lines = output.stdout().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^dist\/cfn\/lava-common\.cfn\.json:\d+:\d+: W8001 Condition Unused not used/);
    expect(lines.at(-1)).toBe(`cfn-lint: ${lines.length - 1} warnings in dist/cfn/lava-common.cfn.json (not fatal; --failOn=warning makes them fail)`);
    expect(output.stdout()).not.toMatch(/lava-(realm|worker)/);
    expect(await lint({ failOn: 'warning' })).toEqual({ success: false });
    expect(output.stderr()).toContain(`✖ cfn:lint: cfn-lint found ${lines.length - 1} warnings in dist/cfn/lava-common.cfn.json\n`);
  });

  it('fails on an error, naming the finding and only its template', async () => {
    edit('lava-worker.cfn.json', (t) => (t.Outputs = { Broken: { Value: { Ref: 'NoSuchResource' } } }));
    await cfnBuild({}, fakeContext(root, 'cfn', 'packages/cfn'));
    const output = captureOutput();
    expect(await lint()).toEqual({ success: false });
    expect(output.stdout()).toMatch(/^dist\/cfn\/lava-worker\.cfn\.json:\d+:\d+: E\d{4} .*NoSuchResource/m);
    expect(output.stderr()).toMatch(/✖ cfn:lint: cfn-lint found \d+ errors? in dist\/cfn\/lava-worker\.cfn\.json\n$/);
  });

  it('rejects an unknown failOn', async () => {
    const output = captureOutput();
    expect(await lint({ failOn: 'fatal' })).toEqual({ success: false });
    expect(output.stderr()).toContain('failOn must be one of error, warning, informational, got "fatal"');
  });

  it.skipIf(!UPSTREAM)("passes the real lava templates, printing their three warnings and naming only the two templates that have them", async () => {
    rmSync(join(root, 'packages/cfn'), { recursive: true });
    mkdirSync(join(root, 'packages/cfn'));
    for (const name of ['lava-common', 'lava-realm', 'lava-worker']) cpSync(join(UPSTREAM!, 'cfn', `${name}.cfn.json`), join(root, 'packages/cfn', `${name}.cfn.json`));
    await cfnBuild({}, fakeContext(root, 'cfn', 'packages/cfn'));
    const output = captureOutput();
    expect(await lint()).toEqual({ success: true });
    const lines = output.stdout().trimEnd().split('\n');
    expect(lines.map((l) => l.replace(/:\d+:\d+: (\w+) .*/, ' $1'))).toEqual([
      'dist/cfn/lava-realm.cfn.json W3045',
      'dist/cfn/lava-worker.cfn.json W2506',
      'dist/cfn/lava-worker.cfn.json W1001',
      'cfn-lint: 3 warnings in dist/cfn/lava-realm.cfn.json, dist/cfn/lava-worker.cfn.json (not fatal; --failOn=warning makes them fail)',
    ]);
  });
});
