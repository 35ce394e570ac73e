// Amazon ECR through the AWS SDK for JavaScript: the repositories of the lava
// images with their lifecycle policy (make's ecr-repo, from the same
// docker/lifecycle.json), and the authorization token ecr-push logs in with. Errors become one line saying what to fix.
import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  PutLifecyclePolicyCommand,
  RepositoryAlreadyExistsException,
} from '@aws-sdk/client-ecr';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BuildError } from '../core/errors';
import { redactUrl } from '../core/redact';
import { readJsonFile } from '../core/user-files';

export const ECR_DEFAULT_PREFIX = 'dist';

/** Beside the Dockerfile, as in make's docker/: the policy ecr-repo puts on every repository it makes. */
export const LIFECYCLE_POLICY_FILE = 'lifecycle.json';

/**
 * `<dockerRoot>/lifecycle.json` as ECR takes it (`PutLifecyclePolicy`'s text). ECR judges the rules
 * themselves; here only a missing file, bad JSON or a policy without rules fails, before AWS is asked.
 */
export function readLifecyclePolicy(workspaceRoot: string, dockerRoot: string): string {
  const shownAs = `${dockerRoot}/${LIFECYCLE_POLICY_FILE}`;
  const path = join(workspaceRoot, shownAs);
  if (!existsSync(path)) {
    throw new BuildError(`${shownAs} is missing: it is the lifecycle policy of the ECR repositories`, { fix: `git checkout -- ${shownAs}` });
  }
  const policy = readJsonFile<{ rules?: unknown }>(path, shownAs, `fix ${shownAs}`);
  if (!Array.isArray(policy?.rules) || policy.rules.length === 0) {
    throw new BuildError(`${shownAs} has no "rules": an ECR lifecycle policy is {"rules": [...]}`, { fix: `fix ${shownAs}` });
  }
  return JSON.stringify(policy);
}

export interface EcrOptions {
  region?: string;
  /** An ECR-compatible endpoint (a test double such as moto); default: AWS's. */
  endpoint?: string;
}

export function ecrClient(options: EcrOptions = {}): ECRClient {
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  return new ECRClient({ ...(region ? { region } : {}), ...(options.endpoint ? { endpoint: options.endpoint } : {}), maxAttempts: 2 });
}

const CREDENTIAL_FIX = 'aws configure (or export AWS_PROFILE=<profile>, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)';

/** An SDK failure as one line: missing credentials or region, rejected credentials, no endpoint. */
export function ecrFailure(action: string, error: unknown, endpoint?: string): BuildError {
  const e = error as { name?: string; message?: string; code?: string; cause?: { code?: string } };
  const name = e.name ?? '';
  const message = e.message ?? String(error);
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return new BuildError(`no AWS credentials for ${action}`, { fix: CREDENTIAL_FIX, cause: error });
  }
  if (/Region is missing/i.test(message)) {
    return new BuildError(`no AWS region for ${action}`, { fix: 'export AWS_REGION=<region> (or pass --region=<region>)', cause: error });
  }
  if (/UnrecognizedClient|InvalidSignature|ExpiredToken|AccessDenied|InvalidClientTokenId/.test(name)) {
    return new BuildError(`AWS refused ${action} (${name})`, { fix: `check the credentials and their ECR permissions: ${CREDENTIAL_FIX}`, cause: error });
  }
  const code = e.code ?? e.cause?.code;
  if (code && /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|ECONNRESET/.test(code)) {
    return new BuildError(`cannot reach ECR${endpoint ? ` at ${redactUrl(endpoint)}` : ''} for ${action} (${code})`, {
      fix: endpoint ? 'start the ECR endpoint or drop --endpoint' : 'check the network and AWS_REGION',
      cause: error,
    });
  }
  return new BuildError(`${action} failed: ${name ? `${name}: ` : ''}${message.split('\n')[0]}`, { cause: error });
}

export interface EnsuredRepository {
  name: string;
  uri: string;
  created: boolean;
}

/** Creates the repository unless it exists, then (re)sets its lifecycle policy (`readLifecyclePolicy`'s text). Idempotent. */
export async function ensureRepository(client: ECRClient, name: string, lifecyclePolicy: string, endpoint?: string): Promise<EnsuredRepository> {
  let uri: string | undefined;
  let created = false;
  try {
    const result = await client.send(new CreateRepositoryCommand({ repositoryName: name, imageTagMutability: 'MUTABLE' }));
    uri = result.repository?.repositoryUri;
    created = true;
  } catch (error) {
    if (!(error instanceof RepositoryAlreadyExistsException) && (error as Error).name !== 'RepositoryAlreadyExistsException') {
      throw ecrFailure(`creating ECR repository ${name}`, error, endpoint);
    }
    try {
      const found = await client.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
      uri = found.repositories?.[0]?.repositoryUri;
    } catch (inner) {
      throw ecrFailure(`describing ECR repository ${name}`, inner, endpoint);
    }
  }
  try {
    await client.send(new PutLifecyclePolicyCommand({ repositoryName: name, lifecyclePolicyText: lifecyclePolicy }));
  } catch (error) {
    throw ecrFailure(`setting the lifecycle policy of ${name}`, error, endpoint);
  }
  return { name, uri: uri ?? name, created };
}

export interface EcrLogin {
  /** The registry host, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com */
  host: string;
  username: string;
  password: string;
  /** base64 "user:password", as docker's config.json `auths` wants it. */
  auth: string;
}

/** An ECR authorization token, decoded. Its parts are secrets: never print them. */
export async function ecrLogin(client: ECRClient, endpoint?: string): Promise<EcrLogin> {
  let data;
  try {
    data = (await client.send(new GetAuthorizationTokenCommand({}))).authorizationData?.[0];
  } catch (error) {
    throw ecrFailure('getting an ECR authorization token', error, endpoint);
  }
  if (!data?.authorizationToken || !data.proxyEndpoint) {
    throw new BuildError('ECR returned no authorization token', { fix: `check the credentials: ${CREDENTIAL_FIX}` });
  }
  const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const host = new URL(data.proxyEndpoint.includes('://') ? data.proxyEndpoint : `https://${data.proxyEndpoint}`).host;
  return { host, username: decoded.slice(0, colon), password: decoded.slice(colon + 1), auth: data.authorizationToken };
}
