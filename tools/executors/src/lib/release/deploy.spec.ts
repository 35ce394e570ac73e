import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { componentSources, componentTarget, environmentConfig, envsubst, s3Location, transfers } from './deploy';
import { tempDir } from '../../testing/temp-dir';

describe('deploy.sh locations', () => {
  it('takes s3:// as it is and anything else under _.s3base, one slash between, ${version} and env vars filled in', () => {
    expect(s3Location('lava/_dist_/cfn/v${version}/', 'my-bucket/some-prefix', '8.2.0')).toEqual({ bucket: 'my-bucket', prefix: 'some-prefix/lava/_dist_/cfn/v8.2.0/' });
    expect(s3Location('/lava/x', 's3://b/', '1')).toEqual({ bucket: 'b', prefix: 'lava/x' });
    expect(s3Location('s3://other/lambda', 'ignored', '1')).toEqual({ bucket: 'other', prefix: 'lambda' });
    expect(() => s3Location('lava/x', undefined, '1')).toThrow('S3 location lava/x is not s3://… and the environment has no _.s3base');
    expect(envsubst('a/$version/${LAVA_DEPLOY_SPEC_UNSET}/b', { version: '2' })).toBe('a/2//b');
  });

  it('reads an environment and its components as deploy.sh did (absent or empty s3: not deployed)', () => {
    const doc = { demo: { pkg: { s3: 'lava/pkg/' }, other: { s3: null }, boot: {} } };
    const env = environmentConfig(doc, 'demo', 'deploy.yaml');
    expect(componentTarget(env, 'pkg')).toBe('lava/pkg/');
    expect(componentTarget(env, 'boot')).toBeUndefined();
    expect(componentTarget(env, 'cfn')).toBeUndefined();
    expect(() => environmentConfig(doc, 'prod', 'deploy.yaml')).toThrow('prod: no such environment in deploy.yaml (it has: demo)');
  });
});

describe('deploy.sh sources', () => {
  let root: string;
  const put = (path: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), 'x');
  };
  beforeEach(() => {
    root = tempDir('deploy-lib-spec-');
  });
  const layout = { dist: 'dist', lavaRoot: 'packages/lava', amiRoot: 'packages/ami' };
  const keys = (c: Parameters<typeof componentSources>[0]) => componentSources(c, layout, '8.2.0', root).map((f) => f.key);

  it("keeps each component's filters: this version's bundles with their OS folder, this version's zips, boot without READMEs or dotfiles, ami without hidden files in folders", () => {
    for (const p of [
      'dist/pkg/amzn2023/lava-8.2.0-amzn2023-py3.13-aarch64.tar.bz2',
      'dist/pkg/ubuntu24/lava-8.1.0-ubuntu24-py3.12-x86_64.tar.bz2',
      'dist/lambda/stop-8.2.0.zip',
      'dist/lambda/stop-8.1.0.zip',
      'dist/dev-tools/lava-job-framework-8.2.0.zip',
      'dist/cfn/lava-common.cfn.json',
      'dist/cfn/lava-common.cfn.md',
      'packages/lava/misc/boot/50-lava.sh',
      'packages/lava/misc/boot/README.md',
      'packages/lava/misc/boot/.hidden',
      'packages/ami/resources.s3/README.md',
      'packages/ami/resources.s3/oracle/.keep',
    ]) put(p);
    expect(keys('pkg')).toEqual(['amzn2023/lava-8.2.0-amzn2023-py3.13-aarch64.tar.bz2']);
    expect(keys('lambda')).toEqual(['stop-8.2.0.zip']);
    expect(keys('framework')).toEqual(['lava-job-framework-8.2.0.zip']);
    expect(keys('cfn')).toEqual(['lava-common.cfn.json', 'lava-common.cfn.md']);
    expect(keys('boot')).toEqual(['50-lava.sh']);
    expect(keys('ami')).toEqual(['README.md']);
    expect(transfers(componentSources('lambda', layout, '8.2.0', root), { bucket: 'b', prefix: 'l' })).toEqual([
      { path: 'dist/lambda/stop-8.2.0.zip', key: 'stop-8.2.0.zip', bucket: 'b', objectKey: 'l/stop-8.2.0.zip' },
    ]);
  });
});
