import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureStderr, fakeContext } from '../../testing/executor-context';
import { startMoto, type Moto } from '../../testing/moto';
import build from './ami-build.impl';
import { tempDir } from '../../testing/temp-dir';

// The base AMI's ID read from moto's SSM (which serves AWS's public AMI parameters); packer not run (dry run).
const WORKSPACE = resolve(__dirname, '../../../../..');
let moto: Moto;
let root: string;
beforeAll(async () => {
  moto = await startMoto(WORKSPACE);
});
afterAll(async () => moto?.stop());
beforeEach(() => {
  for (const [k, v] of Object.entries(moto.env)) vi.stubEnv(k, v);
  root = tempDir('ami-build-spec-');
  symlinkSync(join(WORKSPACE, '.venv'), join(root, '.venv'));
  cpSync(join(WORKSPACE, 'packages/ami'), join(root, 'packages/ami'), { recursive: true });
  mkdirSync(join(root, 'packages/lava/lava'), { recursive: true });
  writeFileSync(join(root, 'packages/lava/lava/VERSION.json'), '{"__version_num__": "8.2.0", "__version_name__": "Kilauea"}');
  writeFileSync(
    join(root, 'packages/lava/deploy.yaml'),
    'demo:\n  _:\n    s3base: my-bucket/pre\n  ami:\n    s3: lava/_ami_/\n    os: amzn2023\n    arch: arm64\n    ip: private\n    subnet: subnet-1\n    sg: sg-1,sg-2\n    tz: UTC\n    python:\n      version: 3.12.4\n',
  );
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});
const context = () => fakeContext(root, 'ami', 'packages/ami', 'packer-build');

describe('ami-build', () => {
  it("prints make's packer build command on --dry-run, the base AMI's ID read from SSM", async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await build({ config: 'packages/lava/deploy.yaml', env: 'demo', region: 'eu-west-1', endpoint: moto.endpoint, dryRun: true }, context())).toEqual({ success: true });
    const line = String(log.mock.calls.at(-1)?.[0]);
    expect(line).toMatch(/^\(cd packages\/ami && packer build -var ami_id=ami-[0-9a-f]+ -var arch=arm64 -var associate_public_ip=false -var os=amzn2023 -var instance_type=t4g\.large -var ip=private -var subnet=subnet-1 -var security_group_ids=sg-1,sg-2 -var region=eu-west-1 -var python_version=3\.12\.4 -var python_short_version=3\.12 -var timezone=UTC -var s3bucket=my-bucket -var s3prefix=pre\/lava\/_ami_\/ -var lava_version=8\.2\.0 /);
    expect(line).toMatch(new RegExp(`-var logfile=${root}/dist/ami/demo-\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.log -var repo= -var manifest=${root}/dist/ami/demo-manifest\\.json lava-ami\\.json\\)$`));
  });

  it('needs config and env together, as make did', async () => {
    const { stderr } = await captureStderr(() => build({ config: 'packages/lava/deploy.yaml' }, context()));
    expect(stderr).toBe('✖ ami:packer-build: either both of config and env are given, or neither; run: npx nx run ami:packer-build --config=<deploy yaml> --env=<env>\n');
  });
});
