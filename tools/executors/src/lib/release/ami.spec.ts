import { describe, expect, it } from 'vitest';
import { amiParameters, amiRefFor, packerBuildArgs, packerValidateArgs, requiredVariables, resolveAmi } from './ami';

const build = {
  os: { amzn2023: { description: 'Amazon Linux 2023', ami_ref: 'al2023-ami-kernel-default-{{ arch }}' } },
  arch: { x86_64: { instance_type: 't3.large' }, arm64: { instance_type: 't4g.large' } },
};
// deploy/sample.yaml's demo environment, as the real tree has it.
const demo = {
  _: { s3base: 'my-deploy-bucket/some-optional-prefix' },
  account_id: '123456789012',
  ami: { s3: 'lava/_ami_/', ip: 'public', subnet: 'subnet-...', sg: 'sg-...', tz: 'Australia/Sydney', python: { version: '3.11.13' } },
};
const context = { lavaVersion: '8.2.0', logfile: '/ws/dist/ami/demo-T.log', manifest: '/ws/dist/ami/demo-manifest.json', repo: 'https://github.com/jin-gizmo/lava.git', region: 'ap-southeast-2' };

describe('ami', () => {
  it("resolves make's variables from the config's ami section and ami-build.yaml, and names the SSM parameter of the base AMI", () => {
    const resolved = resolveAmi(amiParameters({ os: 'amzn2023', arch: 'arm64' }, demo), build, context);
    expect(resolved.ssmParameter).toBe('/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64');
    resolved.variables.ami_id = 'ami-0abc';
    expect(packerBuildArgs(resolved.variables)).toEqual([
      'build',
      ...['ami_id=ami-0abc', 'arch=arm64', 'associate_public_ip=true', 'os=amzn2023', 'instance_type=t4g.large', 'ip=public', 'subnet=subnet-...', 'security_group_ids=sg-...']
        .concat(['region=ap-southeast-2', 'python_version=3.11.13', 'python_short_version=3.11', 'timezone=Australia/Sydney'])
        .concat(['s3bucket=my-deploy-bucket', 's3prefix=some-optional-prefix/lava/_ami_/', 'lava_version=8.2.0', 'logfile=/ws/dist/ami/demo-T.log'])
        .concat(['repo=https://github.com/jin-gizmo/lava.git', 'manifest=/ws/dist/ami/demo-manifest.json'])
        .flatMap((v) => ['-var', v]),
      'lava-ami.json',
    ]);
  });

  it('lets options override the config (make command-line variables), and takes a given AMI ID without SSM', () => {
    const resolved = resolveAmi(amiParameters({ os: 'amzn2023', ip: 'private', tz: 'UTC', amiId: 'ami-1', s3bucket: 'b', s3prefix: 'p/' }, demo), build, context);
    expect(resolved.ssmParameter).toBeUndefined();
    expect(resolved.variables).toMatchObject({ ami_id: 'ami-1', ip: 'private', associate_public_ip: 'false', timezone: 'UTC', s3bucket: 'b', s3prefix: 'p/', arch: 'x86_64', instance_type: 't3.large' });
  });

  it("refuses what make's _<param> rules refused, one line each", () => {
    const fail = (user: object, env: object | undefined = demo) => () => resolveAmi(amiParameters(user, env as never), build, context);
    expect(fail({})).toThrow('os must be set to the OS type of the AMI (a key of ami-build.yaml os:); run: pass --os=…');
    expect(fail({ os: 'amzn2' })).toThrow('unknown os amzn2; ami-build.yaml knows: amzn2023');
    expect(fail({ os: 'amzn2023', ip: 'both' })).toThrow('ip must be set to public or private');
    expect(fail({ os: 'amzn2023', s3prefix: 'no-slash' })).toThrow('s3prefix must end with / (got no-slash)');
    expect(fail({ os: 'amzn2023' }, { ami: { ip: 'public' } })).toThrow('s3bucket must be set');
  });

  it('validates with a stand-in value for each required variable', () => {
    const required = requiredVariables('{"variables": {"ami_id": null, "ip": null, "logfile": "packer.log", "x": null}}');
    expect(required).toEqual(['ami_id', 'ip', 'x']);
    expect(packerValidateArgs(required)).toEqual(['validate', '-var', 'ami_id=ami-00000000000000000', '-var', 'ip=private', '-var', 'x=validate-x', 'lava-ami.json']);
    expect(amiRefFor('amzn2023', 'x86_64', build)).toBe('al2023-ami-kernel-default-x86_64');
  });
});
