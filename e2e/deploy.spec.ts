// worker-bundle:deploy (make deploy) through nx against moto's S3 and STS on
// 127.0.0.1: the stand-in's built templates to a config of ours, and the real
// tree with its own deploy/sample.yaml (whose account ID is moto's).
import { writeFileSync } from 'node:fs';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto, type Moto } from '../tools/executors/src/testing/moto';
import { adoptedWorkspace, upstreamSkipReason } from './support/upstream';
import { copyWorkspace, WORKSPACE_ROOT, type TempWorkspace } from './support/workspace';

let moto: Moto;
beforeAll(async () => {
  moto = await startMoto(WORKSPACE_ROOT);
});
afterAll(async () => moto?.stop());

/** The test's own S3 client, with moto's fake credentials (the test process has no others). */
const s3 = () =>
  new S3Client({
    endpoint: moto.endpoint,
    forcePathStyle: true,
    region: moto.env.AWS_REGION,
    credentials: { accessKeyId: moto.env.AWS_ACCESS_KEY_ID, secretAccessKey: moto.env.AWS_SECRET_ACCESS_KEY },
  });
async function keys(bucket: string): Promise<string[]> {
  const page = await s3().send(new ListObjectsV2Command({ Bucket: bucket }));
  return (page.Contents ?? []).map((o) => o.Key ?? '').sort();
}
async function bucket(name: string): Promise<void> {
  await s3().send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: moto.env.AWS_REGION as never } }));
}

describe('deploy on the stand-in', () => {
  let ws: TempWorkspace;
  beforeAll(() => {
    ws = copyWorkspace({ prefix: 'lava-deploy' });
  });
  afterAll(() => ws?.remove());

  it('sends the built templates to the configured place, lists them on --dry-run, and refuses a wrong account', async () => {
    await bucket('stand-in-deploy');
    writeFileSync(ws.path('packages/lava/deploy.yaml'), 'test:\n  _:\n    s3base: stand-in-deploy/lava\n  account_id: "123456789012"\n  cfn:\n    s3: _dist_/cfn/v${version}/\n');
    const version = JSON.parse(require('node:fs').readFileSync(ws.path('packages/lava/lava/VERSION.json'), 'utf8')).__version_num__;
    expect(ws.nx(['run', 'cfn:build']).exitCode).toBe(0);
    const env = { ...moto.env };
    const dry = ws.nx(['run', 'worker-bundle:deploy', '--env=test', `--endpoint=${moto.endpoint}`, '--dry-run', '--outputStyle=stream'], env);
    expect(dry.exitCode, dry.output).toBe(0);
    expect(dry.output).toContain(`dist/cfn/lava-common.cfn.json → s3://stand-in-deploy/lava/_dist_/cfn/v${version}/lava-common.cfn.json`);
    expect(await keys('stand-in-deploy')).toEqual([]);
    const run = ws.nx(['run', 'worker-bundle:deploy', '--env=test', `--endpoint=${moto.endpoint}`, '--outputStyle=stream'], env);
    expect(run.exitCode, run.output).toBe(0);
    expect(await keys('stand-in-deploy')).toEqual(['lava-common', 'lava-realm', 'lava-worker'].map((t) => `lava/_dist_/cfn/v${version}/${t}.cfn.json`));
    writeFileSync(ws.path('packages/lava/deploy.yaml'), 'test:\n  account_id: "000000000000"\n  cfn:\n    s3: s3://stand-in-deploy/x/\n');
    const wrong = ws.nx(['run', 'worker-bundle:deploy', '--env=test', `--endpoint=${moto.endpoint}`], env);
    expect(wrong.exitCode).not.toBe(0);
    expect(wrong.output).toContain('✖ worker-bundle:deploy: the AWS credentials are for account 123456789012, not 000000000000 (environment "test")');
  });
});

const skip = upstreamSkipReason();

describe.skipIf(skip)('deploy on the real lava tree', () => {
  let ws: TempWorkspace;
  beforeAll(() => {
    ws = adoptedWorkspace({ prefix: 'lava-upstream-deploy' });
  });
  afterAll(() => ws?.remove());

  it("follows the tree's own deploy/sample.yaml: templates, boot scriptlets and AMI resources where it says, ${version} filled in", async () => {
    await bucket('my-deploy-bucket');
    expect(ws.nx(['run', 'cfn:build']).exitCode).toBe(0);
    const args = ['run', 'worker-bundle:deploy', '--config=packages/lava/deploy/sample.yaml', '--env=demo', `--endpoint=${moto.endpoint}`, '--outputStyle=stream'];
    const run = ws.nx(args, moto.env);
    expect(run.exitCode, run.output).toBe(0);
    expect(run.output).toContain('Account 123456789012: the one packages/lava/deploy/sample.yaml names for "demo".');
    // framework is commented out in the sample; nothing of pkg or lambda is built here.
    expect(run.output).toContain('Skipping framework: not configured for "demo".');
    expect(run.output).toContain('Warning: pkg: nothing built to deploy to s3://my-deploy-bucket/some-optional-prefix/lava/_dist_/pkg/ (version 8.2.0).');
    expect(await keys('my-deploy-bucket')).toEqual([
      'some-optional-prefix/lava/_ami_/README.md',
      'some-optional-prefix/lava/_boot_/10-secupdate.sh',
      'some-optional-prefix/lava/_boot_/20-cloudwatch.sh',
      'some-optional-prefix/lava/_boot_/50-lava.sh',
      'some-optional-prefix/lava/_boot_/90-motd.sh',
      'some-optional-prefix/lava/_dist_/cfn/v8.2.0/lava-common.cfn.json',
      'some-optional-prefix/lava/_dist_/cfn/v8.2.0/lava-realm.cfn.json',
      'some-optional-prefix/lava/_dist_/cfn/v8.2.0/lava-worker.cfn.json',
    ]);
    const again = ws.nx(args, moto.env);
    expect(again.output).toContain('Deployed lava 8.2.0 to "demo": 0 files sent.');
  });
});
