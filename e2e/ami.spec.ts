// The ami project through nx: packer validate (Debian's packer) of our stand-in
// and of the real tree's lava-ami.json once adopted, and make ami's packer build
// command resolved from the real deploy/sample.yaml, ami-build.yaml and SSM
// (moto's, which serves AWS's public AMI parameters), shown by --dry-run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto, type Moto } from '../tools/executors/src/testing/moto';
import { adoptedWorkspace, upstreamSkipReason } from './support/upstream';
import { cacheStatus, copyWorkspace, WORKSPACE_ROOT, type TempWorkspace } from './support/workspace';

describe('ami on the stand-in', () => {
  let ws: TempWorkspace;
  beforeAll(() => {
    ws = copyWorkspace({ prefix: 'lava-ami' });
  });
  afterAll(() => ws?.remove());

  it('validate passes, then is a cache hit', () => {
    const run = ws.nx(['run', 'ami:validate', '--outputStyle=stream']);
    expect(run.exitCode, run.output).toBe(0);
    expect(run.output).toMatch(/packages\/ami\/lava-ami\.json: valid \(Packer v[\d.]+; stand-in values for 16 required variables/);
    expect(cacheStatus(ws.nx(['run', 'ami:validate']).output, 'ami:validate')).toBe('local');
  });
});

const skip = upstreamSkipReason();

describe.skipIf(skip)('ami on the real lava tree', () => {
  let ws: TempWorkspace;
  let moto: Moto;
  beforeAll(async () => {
    ws = adoptedWorkspace({ prefix: 'lava-upstream-ami' });
    moto = await startMoto(WORKSPACE_ROOT);
  });
  afterAll(async () => {
    await moto?.stop();
    ws?.remove();
  });

  it("validate passes the real lava-ami.json", () => {
    const run = ws.nx(['run', 'ami:validate', '--outputStyle=stream']);
    expect(run.exitCode, run.output).toBe(0);
    expect(run.output).toMatch(/packages\/ami\/lava-ami\.json: valid \(Packer v[\d.]+; stand-in values for 15 required variables: ami_id, arch, associate_public_ip, instance_type, ip, lava_version, os, python_short_version, python_version, repo, s3bucket, s3prefix, security_group_ids, subnet, timezone\)/);
  });

  it("packer-build --dry-run shows make ami's packer command for deploy/sample.yaml's demo, the base AMI from SSM", () => {
    const run = ws.nx(
      ['run', 'ami:packer-build', '--config=packages/lava/deploy/sample.yaml', '--env=demo', '--os=amzn2023', '--region=ap-southeast-2', `--endpoint=${moto.endpoint}`, '--dry-run', '--outputStyle=stream'],
      moto.env,
    );
    expect(run.exitCode, run.output).toBe(0);
    expect(run.output).toMatch(
      /\(cd packages\/ami && packer build -var ami_id=ami-[0-9a-f]+ -var arch=x86_64 -var associate_public_ip=true -var os=amzn2023 -var instance_type=t3\.large -var ip=public -var subnet=subnet-\.\.\. -var security_group_ids=sg-\.\.\. -var region=ap-southeast-2 -var python_version=3\.11\.13 -var python_short_version=3\.11 -var timezone=Australia\/Sydney -var s3bucket=my-deploy-bucket -var s3prefix=some-optional-prefix\/lava\/_ami_\/ -var lava_version=8\.2\.0 -var logfile=\S+\/dist\/ami\/demo-[\dT:-]+\.log -var repo= -var manifest=\S+\/dist\/ami\/demo-manifest\.json lava-ami\.json\)/,
    );
  });

  it('packer-build without an os names the option to set (the sample config has none)', () => {
    const run = ws.nx(['run', 'ami:packer-build', '--config=packages/lava/deploy/sample.yaml', '--env=demo', '--dry-run'], moto.env);
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain("✖ ami:packer-build: os must be set to the OS type of the AMI (a key of ami-build.yaml os:); run: pass --os=…, or set it in the config's ami: section");
  });
});
