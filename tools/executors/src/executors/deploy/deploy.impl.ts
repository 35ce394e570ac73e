import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import {
  callerAccount,
  COMPONENT_DESCRIPTIONS,
  componentSources,
  componentTarget,
  DEPLOY_COMPONENTS,
  describeTransfer,
  environmentConfig,
  pendingTransfers,
  s3Client,
  s3Failure,
  s3Location,
  transfers,
  upload,
  type DeployComponent,
} from '../../lib/release/deploy';
import { BuildError } from '../../lib/core/errors';
import { lavaExecutor, projectRoot } from '../../lib/core/executor';
import { pythonTool } from '../../lib/python/venv';
import { readVersion } from '../../lib/workspace/version';
import type { DeployExecutorSchema } from './schema';

export default lavaExecutor<DeployExecutorSchema>(async (options, context) => {
  if (options.list) {
    for (const c of DEPLOY_COMPONENTS) console.log(`${c.padEnd(10)} ${COMPONENT_DESCRIPTIONS[c]}`);
    return;
  }
  const root = context.root;
  const lavaRoot = relative(root, projectRoot(context));
  const target = `${context.projectName}:${context.targetName}`;
  if (!options.env) throw new BuildError('no environment given', { fix: `npx nx run ${target} --env=<environment of the deploy config>` });
  const requested = options.components ?? [];
  for (const c of requested) {
    if (!(DEPLOY_COMPONENTS as readonly string[]).includes(c)) throw new BuildError(`no such component: ${c} (known: ${DEPLOY_COMPONENTS.join(', ')})`);
  }
  const configFile = options.config ?? `${lavaRoot}/deploy.yaml`;
  if (!existsSync(join(root, configFile))) {
    throw new BuildError(`${configFile}: no such file`, { fix: `write it (the tree's deploy/sample.yaml shows the format), or pass --config=<file>` });
  }
  const config = environmentConfig(parse(readFileSync(join(root, configFile), 'utf8')), options.env, configFile);
  const version = options.version ?? readVersion(root).num;

  // Make sure we are aiming at the right AWS account, before anything else.
  const expected = config.account_id === undefined || config.account_id === null ? '' : String(config.account_id);
  if (!expected) throw new BuildError(`no account_id for environment "${options.env}" in ${configFile}`, { fix: `add account_id: "<12 digits>" under ${options.env}:` });
  const actual = await callerAccount(pythonTool(root, 'python'), options.endpoint);
  if (actual !== expected) {
    throw new BuildError(`the AWS credentials are for account ${actual}, not ${expected} (environment "${options.env}")`, { fix: 'switch AWS_PROFILE (or credentials) to the target account' });
  }
  console.log(`Account ${actual}: the one ${configFile} names for "${options.env}".`);

  const s3base = ((config._ as Record<string, unknown> | undefined)?.s3base as string | undefined) ?? undefined;
  const layout = { dist: options.distDir ?? 'dist', lavaRoot, amiRoot: options.amiDir ?? 'packages/ami' };
  const client = options.dryRun ? undefined : s3Client({ region: options.region, endpoint: options.endpoint });
  let sent = 0;
  for (const component of DEPLOY_COMPONENTS) {
    if (requested.length && !requested.includes(component)) continue;
    if (!config[component]) {
      console.log(`Skipping ${component}: not configured for "${options.env}".`);
      continue;
    }
    const s3 = componentTarget(config, component);
    if (!s3) continue;
    const location = s3Location(s3, s3base, version);
    const planned = transfers(componentSources(component as DeployComponent, layout, version, root), location);
    const where = `s3://${location.bucket}/${location.prefix}`;
    if (planned.length === 0) {
      console.log(`Warning: ${component}: nothing built to deploy to ${where} (version ${version}).`);
      continue;
    }
    if (!client) {
      console.log(`${component}: would sync ${planned.length} file${planned.length === 1 ? '' : 's'} to ${where}:`);
      for (const t of planned) console.log(`  ${describeTransfer(t)}`);
      continue;
    }
    let pending;
    try {
      pending = await pendingTransfers(client, root, planned);
      for (const t of pending) {
        console.log(`  ${describeTransfer(t)}`);
        await upload(client, root, t);
      }
    } catch (error) {
      throw s3Failure(`${component} deployment to ${where}`, error);
    }
    sent += pending.length;
    console.log(`${component}: deployed to ${where} (${pending.length} sent, ${planned.length - pending.length} already there).`);
  }
  if (!options.dryRun) console.log(`Deployed lava ${version} to "${options.env}": ${sent} file${sent === 1 ? '' : 's'} sent.`);
});
