import { DescribeRepositoriesCommand, GetLifecyclePolicyCommand } from '@aws-sdk/client-ecr';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ecrClient, ecrFailure, ecrLogin, ensureRepository, readLifecyclePolicy } from './ecr';
import { startMoto, type Moto } from '../../testing/moto';
import { tempDir } from '../../testing/temp-dir';

const WORKSPACE_ROOT = resolve(__dirname, '../../../../..');
const POLICY = readLifecyclePolicy(WORKSPACE_ROOT, 'packages/docker');

describe('ECR against moto', () => {
  let moto: Moto;
  const saved = { ...process.env };
  beforeAll(async () => {
    moto = await startMoto(WORKSPACE_ROOT);
  });
  afterAll(async () => {
    await moto?.stop();
  });
  afterEach(() => {
    process.env = { ...saved };
  });
  const client = () => {
    Object.assign(process.env, moto.env);
    return ecrClient({ endpoint: moto.endpoint });
  };

  it('creates a repository with the lifecycle policy, and a second run changes nothing', async () => {
    const first = await ensureRepository(client(), 'dist/lava/amzn2023/base', POLICY, moto.endpoint);
    expect(first.created).toBe(true);
    expect(first.uri).toMatch(/\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/dist\/lava\/amzn2023\/base$/);
    const again = await ensureRepository(client(), 'dist/lava/amzn2023/base', POLICY, moto.endpoint);
    expect(again).toEqual({ ...first, created: false });
    const repos = await client().send(new DescribeRepositoriesCommand({}));
    expect(repos.repositories?.map((r) => r.repositoryName)).toEqual(['dist/lava/amzn2023/base']);
    const policy = await client().send(new GetLifecyclePolicyCommand({ repositoryName: 'dist/lava/amzn2023/base' }));
    expect(JSON.parse(policy.lifecyclePolicyText ?? '{}')).toEqual(JSON.parse(POLICY));
  });

  it('decodes an authorization token into a registry host and a login', async () => {
    const login = await ecrLogin(client(), moto.endpoint);
    expect(login.host).toMatch(/^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$/);
    expect(login.username).toBe('AWS');
    expect(login.password.length).toBeGreaterThan(0);
    expect(Buffer.from(login.auth, 'base64').toString()).toBe(`AWS:${login.password}`);
  });

  it('names the missing credentials and what to run', async () => {
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith('AWS_')) delete env[k];
    process.env = { ...env, AWS_REGION: 'eu-west-1', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_CONFIG_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' };
    const error = await ensureRepository(ecrClient({ endpoint: moto.endpoint }), 'x/y', POLICY, moto.endpoint).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^no AWS credentials for creating ECR repository x\/y; run: aws configure/);
  });

  it('names an unreachable endpoint', async () => {
    Object.assign(process.env, moto.env);
    const error = await ensureRepository(ecrClient({ endpoint: 'http://127.0.0.1:9' }), 'x/y', POLICY, 'http://127.0.0.1:9').catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^cannot reach ECR at http:\/\/127.0.0.1:9 for creating ECR repository x\/y \(ECONNREFUSED\)/);
  });
});

describe('ecrFailure', () => {
  it('turns a missing region into one line with the fix', () => {
    expect(ecrFailure('x', new Error('Region is missing')).message).toBe('no AWS region for x; run: export AWS_REGION=<region> (or pass --region=<region>)');
  });
  it('says AWS refused rejected credentials', () => {
    const e = Object.assign(new Error('The security token included in the request is invalid.'), { name: 'UnrecognizedClientException' });
    expect(ecrFailure('creating ECR repository a', e).message).toMatch(/^AWS refused creating ECR repository a \(UnrecognizedClientException\); run: /);
  });
});

describe('readLifecyclePolicy', () => {
  it('reads the policy beside the Dockerfile: untagged images expire after a day, at most 4 kept', () => {
    const rules = (JSON.parse(POLICY) as { rules: { selection: Record<string, unknown>; action: unknown }[] }).rules;
    expect(rules.map((r) => [r.selection, r.action])).toEqual([
      [{ tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }, { type: 'expire' }],
      [{ tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 4 }, { type: 'expire' }],
    ]);
  });

  it('names a missing, malformed or ruleless policy file and its fix', () => {
    const root = tempDir('lifecycle-spec-');
    mkdirSync(join(root, 'docker'));
    expect(() => readLifecyclePolicy(root, 'docker')).toThrow(
      'docker/lifecycle.json is missing: it is the lifecycle policy of the ECR repositories; run: git checkout -- docker/lifecycle.json',
    );
    writeFileSync(join(root, 'docker/lifecycle.json'), '{"rules": [\n');
    expect(() => readLifecyclePolicy(root, 'docker')).toThrow(/^docker\/lifecycle\.json:\d+(:\d+)?: invalid JSON: .*; run: fix docker\/lifecycle\.json$/);
    writeFileSync(join(root, 'docker/lifecycle.json'), '{"rules": []}\n');
    expect(() => readLifecyclePolicy(root, 'docker')).toThrow('docker/lifecycle.json has no "rules": an ECR lifecycle policy is {"rules": [...]}; run: fix docker/lifecycle.json');
  });
});
