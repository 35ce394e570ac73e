// lava's AMI (its ami/Makefile): `packer build lava-ami.json` with the
// variables make gathered from the command line, the environment's `ami:`
// section of a deploy config, ami-build.yaml (the base AMI's SSM parameter per
// OS, the build instance type per arch) and SSM (the base AMI's ID). The AMI
// does not contain lava. Logs and the packer manifest go to dist/ami/.
import { BuildError } from '../core/errors';
import { type EnvConfig, s3Location } from './deploy';

/** The variables make passed to packer, in its order. */
export const AMI_VARIABLES = [
  'ami_id',
  'arch',
  'associate_public_ip',
  'os',
  'instance_type',
  'ip',
  'subnet',
  'security_group_ids',
  'region',
  'python_version',
  'python_short_version',
  'timezone',
  's3bucket',
  's3prefix',
  'lava_version',
  'logfile',
  'repo',
  'manifest',
] as const;
export type AmiVariables = Record<(typeof AMI_VARIABLES)[number], string>;

/** What a user gives (make's command-line variables), each overriding the config. */
export interface AmiParameters {
  os?: string;
  arch?: string;
  ip?: string;
  subnet?: string;
  sg?: string;
  region?: string;
  tz?: string;
  pythonVersion?: string;
  s3bucket?: string;
  s3prefix?: string;
  amiId?: string;
  amiRef?: string;
  instanceType?: string;
}

/** ami-build.yaml: `os.<os>.ami_ref` (with `{{ arch }}`), `arch.<arch>.instance_type`. */
export interface AmiBuildYaml {
  os?: Record<string, { description?: string; ami_ref?: string }>;
  arch?: Record<string, { instance_type?: string }>;
}

const get = (obj: unknown, path: string[]): string | undefined => {
  let cur = obj;
  for (const key of path) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  return cur === undefined || cur === null || cur === '' ? undefined : String(cur);
};

/** make's `get_config` for `<env>.ami.*` and `<env>._.s3base`, merged under the user's own values. */
export function amiParameters(user: AmiParameters, env: EnvConfig | undefined): AmiParameters & { s3?: string; s3base?: string } {
  const ami = (key: string[]) => get(env, ['ami', ...key]);
  return {
    os: user.os ?? ami(['os']),
    arch: user.arch ?? ami(['arch']) ?? 'x86_64',
    ip: user.ip ?? ami(['ip']),
    subnet: user.subnet ?? ami(['subnet']),
    sg: user.sg ?? ami(['sg']),
    region: user.region,
    tz: user.tz ?? ami(['tz']),
    pythonVersion: user.pythonVersion ?? ami(['python', 'version']),
    s3bucket: user.s3bucket,
    s3prefix: user.s3prefix,
    amiId: user.amiId,
    amiRef: user.amiRef,
    instanceType: user.instanceType,
    s3: ami(['s3']),
    s3base: get(env, ['_', 's3base']),
  };
}

/** The SSM parameter holding the base AMI's ID (`/aws/service/ami-amazon-linux-latest/<ami_ref>`). */
export function amiRefFor(os: string, arch: string, build: AmiBuildYaml): string | undefined {
  return build.os?.[os]?.ami_ref?.replace(/\{\{\s*arch\s*\}\}/g, arch);
}

export const SSM_AMI_PREFIX = '/aws/service/ami-amazon-linux-latest/';

export interface ResolvedAmi {
  variables: AmiVariables;
  /** The SSM parameter to read the base AMI's ID from, when none was given. */
  ssmParameter?: string;
}

/**
 * Every variable packer gets, checked as make's `_<param>` rules checked them
 * (each message says which make variable to set; here the option of the same name).
 */
export function resolveAmi(
  p: ReturnType<typeof amiParameters>,
  build: AmiBuildYaml,
  context: { lavaVersion: string; logfile: string; manifest: string; repo: string; region?: string },
): ResolvedAmi {
  const os = p.os;
  const arch = p.arch ?? 'x86_64';
  const need = (value: string | undefined, what: string, option: string): string => {
    if (!value) throw new BuildError(`${what}`, { fix: `pass --${option}=…, or set it in the config's ami: section` });
    return value;
  };
  need(os, 'os must be set to the OS type of the AMI (a key of ami-build.yaml os:)', 'os');
  if (!build.os?.[os as string]) {
    throw new BuildError(`unknown os ${os}; ami-build.yaml knows: ${Object.keys(build.os ?? {}).join(', ')}`, { fix: 'pass --os=<one of them>' });
  }
  if (p.ip !== 'public' && p.ip !== 'private') throw new BuildError('ip must be set to public or private', { fix: 'pass --ip=public|private, or set ami.ip in the config' });
  let s3bucket = p.s3bucket;
  let s3prefix = p.s3prefix;
  if (p.s3 && (!s3bucket || !s3prefix)) {
    // make's `s3loc -/` of ami.s3 under _.s3base (no ${version} here: make did not substitute it).
    const where = s3Location(p.s3, p.s3base, '${version}');
    s3bucket ??= where.bucket;
    s3prefix ??= where.prefix;
  }
  need(s3bucket, 's3bucket must be set to the S3 bucket holding the extra build components (e.g. Oracle)', 's3bucket');
  need(s3prefix, 's3prefix must be set to the S3 prefix holding the extra build components (e.g. Oracle)', 's3prefix');
  if (!s3prefix?.endsWith('/')) throw new BuildError(`s3prefix must end with / (got ${s3prefix})`, { fix: 'add the trailing /' });
  const pythonVersion = need(p.pythonVersion, 'python_version must be set to the Python version to build from source (e.g. 3.11.13)', 'pythonVersion');
  const instanceType = p.instanceType ?? build.arch?.[arch]?.instance_type;
  if (!build.arch?.[arch] && !p.instanceType) throw new BuildError(`unknown arch ${arch}; ami-build.yaml knows: ${Object.keys(build.arch ?? {}).join(', ')}`, { fix: 'pass --arch=<one of them>' });
  const region = need(p.region ?? context.region, 'region must be set to the target AWS region', 'region');
  const ref = p.amiRef ?? amiRefFor(os as string, arch, build);
  const variables: AmiVariables = {
    ami_id: p.amiId ?? '',
    arch,
    associate_public_ip: p.ip === 'public' ? 'true' : 'false',
    os: os as string,
    instance_type: need(instanceType, 'instance_type must be set', 'instanceType'),
    ip: p.ip,
    subnet: need(p.subnet, 'subnet must be set to the build subnet ID', 'subnet'),
    security_group_ids: need(p.sg, 'sg must be set to a comma separated list of security group IDs', 'sg'),
    region,
    python_version: pythonVersion,
    python_short_version: pythonVersion.split('.').slice(0, 2).join('.'),
    timezone: need(p.tz, 'tz must be set to the timezone of instances of the new AMI', 'tz'),
    s3bucket: s3bucket as string,
    s3prefix: s3prefix as string,
    lava_version: context.lavaVersion,
    logfile: context.logfile,
    repo: context.repo,
    manifest: context.manifest,
  };
  if (!variables.ami_id && !ref) throw new BuildError('ami_id must be set to the base AMI ID', { fix: 'pass --amiId=ami-… or --amiRef=<SSM parameter name>' });
  return { variables, ssmParameter: variables.ami_id ? undefined : `${SSM_AMI_PREFIX}${ref}` };
}

/** make's `packer build -var …=… lava-ami.json`. */
export function packerBuildArgs(variables: AmiVariables, template = 'lava-ami.json'): string[] {
  return ['build', ...AMI_VARIABLES.flatMap((name) => ['-var', `${name}=${variables[name]}`]), template];
}

/** The template's variables with no default (JSON `null`): what validate must give a value. */
export function requiredVariables(template: string): string[] {
  const parsed = JSON.parse(template) as { variables?: Record<string, unknown> };
  return Object.entries(parsed.variables ?? {})
    .filter(([, v]) => v === null)
    .map(([k]) => k)
    .sort();
}

/** `packer validate` with a stand-in value for every required variable (no AWS call is made). */
export function packerValidateArgs(required: string[], template = 'lava-ami.json'): string[] {
  return ['validate', ...required.flatMap((name) => ['-var', `${name}=${PLACEHOLDERS[name] ?? `validate-${name}`}`]), template];
}

const PLACEHOLDERS: Record<string, string> = {
  ami_id: 'ami-00000000000000000',
  arch: 'x86_64',
  associate_public_ip: 'false',
  ip: 'private',
  region: 'us-east-1',
  python_version: '3.11.0',
  python_short_version: '3.11',
  s3prefix: 'validate/',
  lava_version: '0.0.0',
};

const GET_PARAMETER = 'import sys, boto3; print(boto3.client("ssm").get_parameter(Name=sys.argv[1])["Parameter"]["Value"])';

/** The base AMI's ID from SSM (`aws ssm get-parameter`), with boto3 from the workspace's Python tools. */
export async function ssmParameter(python: string, name: string, region: string, endpoint?: string): Promise<string> {
  const { execa } = await import('execa');
  const result = await execa(python, ['-c', GET_PARAMETER, name], {
    reject: false,
    stdin: 'ignore',
    env: { AWS_DEFAULT_REGION: region, ...(endpoint ? { AWS_ENDPOINT_URL: endpoint } : {}) },
  });
  if (result.exitCode !== 0) {
    const last = String(result.stderr).trim().split('\n').pop() ?? '';
    throw new BuildError(`cannot read the base AMI ID from SSM ${name}: ${last}`, { fix: 'check the AWS credentials and region, or pass --amiId=ami-…' });
  }
  return String(result.stdout).trim();
}
