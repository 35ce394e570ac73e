import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { captureStderr, fakeContext } from '../../testing/executor-context';
import cfnBuild from '../cfn-build/cfn-build.impl';
import cfnDoc from './cfn-doc.impl';
import { tempDir } from '../../testing/temp-dir';

const WORKSPACE = resolve(__dirname, '../../../../..');
let root: string;

beforeEach(() => {
  root = tempDir('cfn-doc-spec-');
  cpSync(join(WORKSPACE, 'packages/cfn'), join(root, 'packages/cfn'), { recursive: true });
  mkdirSync(join(root, 'packages/lava/lava'), { recursive: true });
  writeFileSync(join(root, 'packages/lava/lava/VERSION.json'), '{"__version_num__": "8.2.0", "__version_name__": "Kilauea"}');
});

describe('cfn-doc', () => {
  it('renders the chosen formats of each built template with cfdoc', async () => {
    symlinkSync(join(WORKSPACE, '.venv'), join(root, '.venv'));
    await cfnBuild({}, fakeContext(root, 'cfn', 'packages/cfn'));
    expect(await cfnDoc({ formats: ['md'] }, fakeContext(root, 'cfn', 'packages/cfn', 'doc'))).toEqual({ success: true });
    const md = readFileSync(join(root, 'dist/cfn/lava-common.cfn.md'), 'utf8');
    expect(md).toContain('# lava common components');
    expect(md).toContain('CodeBucketName');
    expect(existsSync(join(root, 'dist/cfn/lava-common.cfn.html'))).toBe(false);
  });

  it('names the build target when templates are not built', async () => {
    symlinkSync(join(WORKSPACE, '.venv'), join(root, '.venv'));
    const { result, stderr } = await captureStderr(() => cfnDoc({}, fakeContext(root, 'cfn', 'packages/cfn', 'doc')));
    expect(result.success).toBe(false);
    expect(stderr).toBe('✖ cfn:doc: dist/cfn/lava-common.cfn.json is not built; run: npx nx run cfn:build\n');
  });

  it('names the target that makes the Python environment when there is none', async () => {
    const { result, stderr } = await captureStderr(() => cfnDoc({}, fakeContext(root, 'cfn', 'packages/cfn', 'doc')));
    expect(result.success).toBe(false);
    expect(stderr).toBe('✖ cfn:doc: no Python environment with cfdoc at .venv; run: npx nx run python-env:init\n');
  });
});
