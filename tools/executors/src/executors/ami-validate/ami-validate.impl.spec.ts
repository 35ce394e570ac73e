import { cpSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureStderr, fakeContext } from '../../testing/executor-context';
import validate from './ami-validate.impl';
import { tempDir } from '../../testing/temp-dir';

// Real packer (Debian's) on a copy of the stand-in AMI folder.
const WORKSPACE = resolve(__dirname, '../../../../..');
let root: string;
beforeEach(() => {
  root = tempDir('ami-validate-spec-');
  cpSync(join(WORKSPACE, 'packages/ami'), join(root, 'ami'), { recursive: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});
const context = () => fakeContext(root, 'ami', 'ami', 'validate');

describe('ami-validate', () => {
  it('passes a valid template, saying which variables got stand-in values', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await validate({}, context())).toEqual({ success: true });
    expect(String(log.mock.calls.at(-1)?.[0])).toMatch(/^ami\/lava-ami\.json: valid \(Packer v[\d.]+; stand-in values for 16 required variables: ami_id, arch, /);
  });

  it('fails on what packer rejects, with its message', async () => {
    const template = JSON.parse(require('node:fs').readFileSync(join(root, 'ami/lava-ami.json'), 'utf8'));
    template.builders[0].encrypt_boot = 'sometimes';
    writeFileSync(join(root, 'ami/lava-ami.json'), JSON.stringify(template));
    const { result, stderr } = await captureStderr(() => validate({}, context()));
    expect(result.success).toBe(false);
    expect(stderr).toContain("error decoding 'encrypt_boot'");
    expect(stderr).toMatch(/✖ ami:validate: packer validate failed \(exit code 1\): packer validate -var/);
  });
});
