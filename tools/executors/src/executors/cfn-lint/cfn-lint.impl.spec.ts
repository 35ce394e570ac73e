import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { captureStderr, fakeContext } from '../../lib/testing/executor-context';
import cfnBuild from '../cfn-build/cfn-build.impl';
import cfnLint from './cfn-lint.impl';
import { tempDir } from '../../lib/testing/temp-dir';

const WORKSPACE = resolve(__dirname, '../../../../..');
let root: string;

beforeEach(async () => {
  root = tempDir('cfn-lint-spec-');
  cpSync(join(WORKSPACE, 'packages/cfn'), join(root, 'packages/cfn'), { recursive: true });
  mkdirSync(join(root, 'packages/lava/lava'), { recursive: true });
  writeFileSync(join(root, 'packages/lava/lava/VERSION.json'), '{"__version_num__": "8.2.0", "__version_name__": "Kilauea"}');
  symlinkSync(join(WORKSPACE, '.venv'), join(root, '.venv'));
});

describe('cfn-lint', () => {
  it('passes the built templates, which the sources would not (their Version default is a warning)', async () => {
    await cfnBuild({}, fakeContext(root, 'cfn', 'packages/cfn'));
    expect(await cfnLint({}, fakeContext(root, 'cfn', 'packages/cfn', 'lint'))).toEqual({ success: true });
    const sources = await captureStderr(() => cfnLint({ outputPath: 'packages/cfn' }, fakeContext(root, 'cfn', 'packages/cfn', 'lint')));
    expect(sources.result.success).toBe(false);
  });

  it('fails on a warning by default and passes when told to fail on errors only', async () => {
    const source = join(root, 'packages/cfn/lava-common.cfn.json');
    const template = JSON.parse(readFileSync(source, 'utf8'));
    template.Conditions = { Unused: { 'Fn::Equals': ['a', 'b'] } };
    writeFileSync(source, JSON.stringify(template));
    await cfnBuild({}, fakeContext(root, 'cfn', 'packages/cfn'));
    const { result, stderr } = await captureStderr(() => cfnLint({}, fakeContext(root, 'cfn', 'packages/cfn', 'lint')));
    expect(result.success).toBe(false);
    expect(stderr).toContain('✖ cfn:lint: cfn-lint found problems in dist/cfn/lava-common.cfn.json');
    expect(await cfnLint({ failOn: 'error' }, fakeContext(root, 'cfn', 'packages/cfn', 'lint'))).toEqual({ success: true });
  });
});
