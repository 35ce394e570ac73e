import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { afterEach, vi } from 'vitest';
import { captureOutput, captureStderr, fakeContext } from '../../testing/executor-context';
import cfnBuild from './cfn-build.impl';
import { tempDir } from '../../testing/temp-dir';

const WORKSPACE = resolve(__dirname, '../../../../..');
let root: string;

beforeEach(() => {
  root = tempDir('cfn-build-spec-');
  cpSync(join(WORKSPACE, 'packages/cfn'), join(root, 'packages/cfn'), { recursive: true });
  mkdirSync(join(root, 'packages/lava/lava'), { recursive: true });
  writeFileSync(join(root, 'packages/lava/lava/VERSION.json'), '{"__version_num__": "9.1.2", "__version_name__": "Mauna Loa"}');
});

const context = () => fakeContext(root, 'cfn', 'packages/cfn');
afterEach(() => {
  vi.restoreAllMocks();
});

describe('cfn-build', () => {
  it('writes every template of the project root with the version injected', async () => {
    expect(await cfnBuild({ outputPath: 'dist/cfn' }, context())).toEqual({ success: true });
    expect(readdirSync(join(root, 'dist/cfn'))).toEqual(['lava-common.cfn.json', 'lava-realm.cfn.json', 'lava-worker.cfn.json']);
    const realm = JSON.parse(readFileSync(join(root, 'dist/cfn/lava-realm.cfn.json'), 'utf8'));
    expect(realm.Parameters.Version).toMatchObject({ Default: '9.1.2', AllowedValues: ['9.1.2'] });
  });

  it('builds a template whose Version pattern JavaScript cannot check, and names the file and parameter in one line', async () => {
    const worker = join(root, 'packages/cfn/lava-worker.cfn.json');
    const template = JSON.parse(readFileSync(worker, 'utf8'));
    template.Parameters.Version.AllowedPattern = '(\\d+)\\.\\1\\.\\d+';
    writeFileSync(worker, JSON.stringify(template));
    const output = captureOutput();
    expect(await cfnBuild({}, context())).toEqual({ success: true });
    const warnings = output.stderr().split('\n').filter(Boolean);
    expect(warnings).toEqual([
      '⚠ packages/cfn/lava-worker.cfn.json: Parameters.Version: version 9.1.2 not checked against AllowedPattern (\\d+)\\.\\1\\.\\d+ (back reference "\\1": no exact JavaScript translation); CloudFormation checks it at deploy time',
    ]);
    expect(JSON.parse(readFileSync(join(root, 'dist/cfn/lava-worker.cfn.json'), 'utf8')).Parameters.Version.Default).toBe('9.1.2');
  });

  it('removes a built template whose source is gone', async () => {
    mkdirSync(join(root, 'dist/cfn'), { recursive: true });
    writeFileSync(join(root, 'dist/cfn/lava-old.cfn.json'), '{}');
    writeFileSync(join(root, 'dist/cfn/lava-realm.cfn.md'), 'kept: not a template');
    await cfnBuild({}, context());
    expect(readdirSync(join(root, 'dist/cfn'))).not.toContain('lava-old.cfn.json');
    expect(readdirSync(join(root, 'dist/cfn'))).toContain('lava-realm.cfn.md');
  });

  it('writes nothing when any template is broken', async () => {
    writeFileSync(join(root, 'packages/cfn/lava-worker.cfn.json'), '{"Parameters": ');
    const { result, stderr } = await captureStderr(() => cfnBuild({}, context()));
    expect(result).toEqual({ success: false });
    expect(stderr).toBe('✖ cfn:build: packages/cfn/lava-worker.cfn.json:1:16: invalid JSON: unexpected end of file\n');
    expect(() => readdirSync(join(root, 'dist/cfn'))).toThrow();
  });

  it('fails on a directory without templates', async () => {
    mkdirSync(join(root, 'empty'));
    const { result, stderr } = await captureStderr(() => cfnBuild({ sourceDir: 'empty' }, context()));
    expect(result.success).toBe(false);
    expect(stderr).toContain('no *.cfn.json templates in empty');
  });
});
