// lava's make deploy (etc/deploy.sh): for one environment of a deploy.yaml,
// check that the AWS credentials are for the configured account, then copy
// each configured component's built artefacts to its S3 location as
// `aws s3 sync` did: a file is sent when S3 lacks it, or holds another size,
// or an older copy; nothing is deleted. The locations take deploy.sh's forms:
// `s3://bucket/prefix` as it is, anything else under the environment's
// `_.s3base`, with `${version}` (and environment variables, as envsubst) filled in.
import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import fg from 'fast-glob';
import { BuildError } from '../core/errors';
import { fnmatchRegExp } from '../python/lint';

/** deploy.sh's deployers, in the order it ran them (`declare -F | sort`). */
export const DEPLOY_COMPONENTS = ['ami', 'boot', 'cfn', 'framework', 'lambda', 'pkg'] as const;
export type DeployComponent = (typeof DEPLOY_COMPONENTS)[number];

export const COMPONENT_DESCRIPTIONS: Record<DeployComponent, string> = {
  ami: 'Components required to be in S3 to build the AMI (not the AMI itself).',
  boot: 'Lava worker boot scriptlets (not root.boot*).',
  cfn: 'CloudFormation Templates.',
  framework: 'Lava job framework (Deprecated in favour of lava-new).',
  lambda: 'Lambda function code bundles.',
  pkg: 'Main lava code package.',
};

export interface DeployLayout {
  /** Workspace-relative folders: the built artefacts, the lava root (misc/boot), the AMI folder (resources.s3). */
  dist: string;
  lavaRoot: string;
  amiRoot: string;
}

export interface SourceFile {
  /** Workspace-relative path. */
  path: string;
  /** Key below the component's S3 prefix. */
  key: string;
}

export interface S3Location {
  bucket: string;
  prefix: string;
}

export type EnvConfig = Record<string, unknown>;

/** The environment's section of a deploy.yaml. */
export function environmentConfig(doc: unknown, env: string, file: string): EnvConfig {
  const section = (doc as Record<string, unknown> | null)?.[env];
  if (!section || typeof section !== 'object') {
    const known = doc && typeof doc === 'object' ? Object.keys(doc).join(', ') : 'none';
    throw new BuildError(`${env}: no such environment in ${file} (it has: ${known || 'none'})`, { fix: `pass --env=<one of them>, or add ${env}: to ${file}` });
  }
  return section as EnvConfig;
}

/** envsubst: `$NAME` and `${NAME}` from `vars`, then the environment; unknown ones become empty, as envsubst makes them. */
export function envsubst(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_, a, b) => vars[a ?? b] ?? process.env[a ?? b] ?? '');
}

/** deploy.sh's `s3loc -/ <value> <s3base> | version=<V> envsubst`, split into bucket and prefix. */
export function s3Location(value: string, base: string | undefined, version: string): S3Location {
  let location = value;
  if (!value.startsWith('s3://')) {
    if (!base) throw new BuildError(`S3 location ${value} is not s3://… and the environment has no _.s3base`, { fix: 'give the full s3:// location, or set _.s3base' });
    location = `${base.replace(/^s3:\/\//, '').replace(/\/+$/, '')}/${value.replace(/^\/+/, '')}`;
  } else location = value.slice('s3://'.length);
  location = envsubst(location, { version }).replace(/\/{2,}/g, '/');
  const [bucket, ...rest] = location.replace(/^\/+/, '').split('/');
  if (!bucket) throw new BuildError(`invalid S3 location ${value}`);
  return { bucket, prefix: rest.join('/') };
}

/** A component's `s3` setting, or undefined when it is absent or empty (deploy.sh skipped those). */
export function componentTarget(config: EnvConfig, component: DeployComponent): string | undefined {
  const section = config[component];
  if (!section || typeof section !== 'object') return undefined;
  const s3 = (section as Record<string, unknown>).s3;
  return typeof s3 === 'string' && s3.trim() ? s3.trim() : undefined;
}

/** aws s3 sync's --exclude/--include: patterns on the path below the source folder, `*` crossing `/`. */
function matches(patterns: string[], key: string): boolean {
  return patterns.some((p) => fnmatchRegExp(p).test(key));
}

function filesUnder(root: string, dir: string, include: string[] | undefined, exclude: string[]): SourceFile[] {
  return fg
    .sync('**/*', { cwd: join(root, dir), dot: true, onlyFiles: true, followSymbolicLinks: true })
    .sort()
    .filter((key) => (include ? matches(include, key) : true) && !matches(exclude, key))
    .map((key) => ({ path: `${dir}/${key}`, key }));
}

/** What deploy.sh sent for a component: its source folder and its filters. */
export function componentSources(component: DeployComponent, layout: DeployLayout, version: string, workspaceRoot: string): SourceFile[] {
  switch (component) {
    case 'pkg':
      return filesUnder(workspaceRoot, `${layout.dist}/pkg`, [`*lava-${version}-*.tar.bz2`], []);
    case 'boot':
      return filesUnder(workspaceRoot, `${layout.lavaRoot}/misc/boot`, undefined, ['README*', '.??*']);
    case 'lambda':
      return filesUnder(workspaceRoot, `${layout.dist}/lambda`, [`*-${version}.zip`], []);
    case 'cfn':
      return filesUnder(workspaceRoot, `${layout.dist}/cfn`, undefined, []);
    case 'framework':
      return filesUnder(workspaceRoot, `${layout.dist}/dev-tools`, [`*lava-job-framework-${version}.zip`], []);
    case 'ami':
      return filesUnder(workspaceRoot, `${layout.amiRoot}/resources.s3`, undefined, ['*/.*']);
  }
}

export interface Transfer extends SourceFile {
  bucket: string;
  /** The full object key. */
  objectKey: string;
}

export function transfers(files: SourceFile[], target: S3Location): Transfer[] {
  const prefix = target.prefix && !target.prefix.endsWith('/') ? `${target.prefix}/` : target.prefix;
  return files.map((f) => ({ ...f, bucket: target.bucket, objectKey: `${prefix}${f.key}` }));
}

export interface S3Options {
  region?: string;
  endpoint?: string;
}

export function s3Client(options: S3Options = {}): S3Client {
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  return new S3Client({
    region,
    followRegionRedirects: true,
    maxAttempts: 3,
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
  });
}

/** The transfers `aws s3 sync` would make: the object is missing, of another size, or older than the file. */
export async function pendingTransfers(client: S3Client, workspaceRoot: string, planned: Transfer[]): Promise<Transfer[]> {
  const byBucket = new Map<string, Map<string, { size: number; modified: number }>>();
  for (const t of planned) {
    const key = `${t.bucket}\0${t.objectKey.slice(0, t.objectKey.length - t.key.length)}`;
    if (byBucket.has(key)) continue;
    const objects = new Map<string, { size: number; modified: number }>();
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: t.bucket, Prefix: t.objectKey.slice(0, t.objectKey.length - t.key.length), ContinuationToken: token }));
      for (const o of page.Contents ?? []) objects.set(o.Key ?? '', { size: o.Size ?? -1, modified: o.LastModified?.getTime() ?? 0 });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    byBucket.set(key, objects);
  }
  return planned.filter((t) => {
    const existing = byBucket.get(`${t.bucket}\0${t.objectKey.slice(0, t.objectKey.length - t.key.length)}`)?.get(t.objectKey);
    if (!existing) return true;
    const stat = statSync(join(workspaceRoot, t.path));
    // S3 keeps LastModified in whole seconds: compare the file's time at the same precision, or a file
    // uploaded within the second it was written would look newer than its copy for ever.
    return existing.size !== stat.size || Math.floor(stat.mtimeMs / 1000) * 1000 > existing.modified;
  });
}

export async function upload(client: S3Client, workspaceRoot: string, t: Transfer): Promise<void> {
  const file = join(workspaceRoot, t.path);
  await client.send(new PutObjectCommand({ Bucket: t.bucket, Key: t.objectKey, Body: createReadStream(file), ContentLength: statSync(file).size }));
}

/** One line for an S3 failure: credentials, a missing bucket, a refusal. */
export function s3Failure(action: string, error: unknown): BuildError {
  const e = error as { name?: string; message?: string };
  const name = e.name ?? '';
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(e.message ?? '')) {
    return new BuildError(`no AWS credentials for ${action}`, { fix: 'aws configure (or export AWS_PROFILE=<profile>)', cause: error });
  }
  if (name === 'NoSuchBucket') return new BuildError(`${action}: no such bucket`, { fix: 'check the s3 locations in the deploy config', cause: error });
  return new BuildError(`${action} failed (${name || 'error'}): ${e.message ?? String(error)}`, { cause: error });
}

export function describeTransfer(t: Transfer): string {
  return `${t.path} → s3://${t.bucket}/${t.objectKey}`;
}

const CALLER_ACCOUNT = 'import boto3; print(boto3.client("sts").get_caller_identity()["Account"])';

/**
 * The account the credentials belong to (`aws sts get-caller-identity`), with
 * boto3 from the workspace's Python tools: the JavaScript STS client is not
 * among the workspace's packages.
 */
export async function callerAccount(python: string, endpoint?: string): Promise<string> {
  const { execa } = await import('execa');
  const result = await execa(python, ['-c', CALLER_ACCOUNT], {
    reject: false,
    stdin: 'ignore',
    env: { ...(endpoint ? { AWS_ENDPOINT_URL: endpoint } : {}), AWS_DEFAULT_REGION: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1' },
  });
  if (result.exitCode !== 0) {
    const last = String(result.stderr).trim().split('\n').pop() ?? '';
    if (/NoCredentialsError|Unable to locate credentials/.test(last)) {
      throw new BuildError('cannot get the target account ID: no AWS credentials', { fix: 'aws configure (or export AWS_PROFILE=<profile>)' });
    }
    throw new BuildError(`cannot get the target account ID: ${last}`, { fix: 'check the AWS credentials' });
  }
  return String(result.stdout).trim();
}
