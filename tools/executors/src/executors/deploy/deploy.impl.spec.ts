import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { s3Client } from '../../lib/release/deploy';
import { captureStderr, fakeContext } from '../../testing/executor-context';
import { startMoto, type Moto } from '../../testing/moto';
import deploy from './deploy.impl';
import { tempDir } from '../../testing/temp-dir';

// The AWS SDK (S3) and boto3 (STS) against moto's server on 127.0.0.1.
const WORKSPACE = resolve(__dirname, '../../../../..');
const MOTO_ACCOUNT = '123456789012';
let moto: Moto;
let root: string;
let bucketNo = 0;

beforeAll(async () => {
  moto = await startMoto(WORKSPACE);
});
afterAll(async () => moto?.stop());

function put(path: string, text = 'x'): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

let bucket: string;
let other: string;
beforeEach(async () => {
  for (const [k, v] of Object.entries(moto.env)) vi.stubEnv(k, v);
  root = tempDir('deploy-spec-');
  symlinkSync(join(WORKSPACE, '.venv'), join(root, '.venv'));
  bucketNo++;
  bucket = `deploy-spec-${bucketNo}`;
  other = `deploy-spec-other-${bucketNo}`;
  const client = s3Client({ endpoint: moto.endpoint });
  for (const b of [bucket, other]) await client.send(new CreateBucketCommand({ Bucket: b, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  put('packages/lava/lava/VERSION.json', JSON.stringify({ __version_num__: '1.0.0', __version_name__: 'Test' }));
  put('dist/pkg/amzn2023/lava-1.0.0-amzn2023-py3.13-aarch64.tar.bz2', 'bundle');
  put('dist/pkg/amzn2023/lava-0.9.0-amzn2023-py3.13-aarch64.tar.bz2', 'old bundle');
  put('dist/lambda/dispatch-1.0.0.zip', 'zip');
  put('dist/lambda/dispatch-0.9.0.zip', 'old zip');
  put('dist/cfn/lava-common.cfn.json', '{}');
  put('packages/lava/misc/boot/50-lava.sh', '#!/bin/sh\n');
  put('packages/lava/misc/boot/README.md', 'not deployed');
  config(MOTO_ACCOUNT);
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

function config(account: string): void {
  put(
    'packages/lava/deploy.yaml',
    `demo:\n  _:\n    s3base: ${bucket}/base\n  account_id: "${account}"\n  pkg:\n    s3: lava/_dist_/pkg/\n  cfn:\n    s3: lava/_dist_/cfn/v\${version}/\n  lambda:\n    s3: s3://${other}/lambda\n  boot:\n    s3: lava/_boot_/\n  framework:\n    s3: lava/_dist_/framework/\n  other:\n    s3:\n`,
  );
}

const context = () => fakeContext(root, 'worker-bundle', 'packages/lava', 'deploy');
const logged = () => (console.log as unknown as { mock: { calls: unknown[][] } }).mock.calls.map((c) => String(c[0]));
async function keys(b: string): Promise<string[]> {
  const page = await s3Client({ endpoint: moto.endpoint }).send(new ListObjectsV2Command({ Bucket: b }));
  return (page.Contents ?? []).map((o) => o.Key ?? '').sort();
}

describe('deploy', () => {
  it('checks the account, then syncs each configured component with ${version} filled in; a second run sends nothing', async () => {
    expect(await deploy({ env: 'demo', endpoint: moto.endpoint }, context())).toEqual({ success: true });
    expect(await keys(bucket)).toEqual([
      'base/lava/_boot_/50-lava.sh',
      'base/lava/_dist_/cfn/v1.0.0/lava-common.cfn.json',
      'base/lava/_dist_/pkg/amzn2023/lava-1.0.0-amzn2023-py3.13-aarch64.tar.bz2',
    ]);
    expect(await keys(other)).toEqual(['lambda/dispatch-1.0.0.zip']);
    expect(logged()).toContain(`Account ${MOTO_ACCOUNT}: the one packages/lava/deploy.yaml names for "demo".`);
    expect(logged()).toContain('Warning: framework: nothing built to deploy to s3://' + bucket + '/base/lava/_dist_/framework/ (version 1.0.0).');
    expect(logged()).toContain('Skipping ami: not configured for "demo".');
    expect(logged().at(-1)).toBe('Deployed lava 1.0.0 to "demo": 4 files sent.');
    vi.mocked(console.log).mockClear();
    expect(await deploy({ env: 'demo', endpoint: moto.endpoint }, context())).toEqual({ success: true });
    expect(logged().at(-1)).toBe('Deployed lava 1.0.0 to "demo": 0 files sent.');
  });

  it('--dry-run lists what would go where and sends nothing; components narrow it', async () => {
    expect(await deploy({ env: 'demo', endpoint: moto.endpoint, dryRun: true, components: ['lambda', 'cfn'] }, context())).toEqual({ success: true });
    expect(logged().slice(1)).toEqual([
      `cfn: would sync 1 file to s3://${bucket}/base/lava/_dist_/cfn/v1.0.0/:`,
      `  dist/cfn/lava-common.cfn.json → s3://${bucket}/base/lava/_dist_/cfn/v1.0.0/lava-common.cfn.json`,
      `lambda: would sync 1 file to s3://${other}/lambda:`,
      `  dist/lambda/dispatch-1.0.0.zip → s3://${other}/lambda/dispatch-1.0.0.zip`,
    ]);
    expect(await keys(bucket)).toEqual([]);
  });

  it('refuses the wrong account before touching S3, and an unknown environment or component', async () => {
    config('999999999999');
    const wrong = await captureStderr(() => deploy({ env: 'demo', endpoint: moto.endpoint }, context()));
    expect(wrong.stderr).toBe(
      `✖ worker-bundle:deploy: the AWS credentials are for account ${MOTO_ACCOUNT}, not 999999999999 (environment "demo"); run: switch AWS_PROFILE (or credentials) to the target account\n`,
    );
    expect(await keys(bucket)).toEqual([]);
    const env = await captureStderr(() => deploy({ env: 'prod', endpoint: moto.endpoint }, context()));
    expect(env.stderr).toBe('✖ worker-bundle:deploy: prod: no such environment in packages/lava/deploy.yaml (it has: demo); run: pass --env=<one of them>, or add prod: to packages/lava/deploy.yaml\n');
    const component = await captureStderr(() => deploy({ env: 'demo', components: ['docs'] }, context()));
    expect(component.stderr).toBe('✖ worker-bundle:deploy: no such component: docs (known: ami, boot, cfn, framework, lambda, pkg)\n');
  });
});
