import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { amiParameters, packerBuildArgs, resolveAmi, ssmParameter, type AmiBuildYaml } from '../../lib/release/ami';
import { environmentConfig } from '../../lib/release/deploy';
import { BuildError } from '../../lib/core/errors';
import { lavaExecutor, projectRoot } from '../../lib/core/executor';
import { displayCommand, run } from '../../lib/core/process';
import { pythonTool } from '../../lib/python/venv';
import { readVersion } from '../../lib/workspace/version';
import { PACKER_HINT } from '../ami-validate/ami-validate.impl';
import type { AmiBuildExecutorSchema } from './schema';

export default lavaExecutor<AmiBuildExecutorSchema>(async (options, context) => {
  const dir = projectRoot(context);
  const root = context.root;
  if (Boolean(options.config) !== Boolean(options.env)) {
    throw new BuildError('either both of config and env are given, or neither', { fix: `npx nx run ${context.projectName}:${context.targetName} --config=<deploy yaml> --env=<env>` });
  }
  const env = options.config && options.env ? environmentConfig(parse(readFileSync(join(root, options.config), 'utf8')), options.env, options.config) : undefined;
  const buildYaml = join(dir, 'ami-build.yaml');
  const build: AmiBuildYaml = existsSync(buildYaml) ? (parse(readFileSync(buildYaml, 'utf8')) ?? {}) : {};
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, '');
  const dist = join(root, 'dist/ami');
  const logfile = join(dist, `${options.env ? `${options.env}-` : ''}${stamp}.log`);
  const manifest = join(dist, `${options.env ?? 'ami'}-manifest.json`);
  const resolved = resolveAmi(amiParameters(options, env), build, {
    lavaVersion: readVersion(root).num,
    logfile,
    manifest,
    repo: gitRemote(root),
    region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION,
  });
  // As make did, also for a dry run: the command shown is the one that would run.
  if (resolved.ssmParameter) {
    resolved.variables.ami_id = await ssmParameter(pythonTool(root, 'python'), resolved.ssmParameter, resolved.variables.region, options.endpoint);
  }
  const args = packerBuildArgs(resolved.variables, options.template ?? 'lava-ami.json');
  if (options.dryRun) {
    console.log(`(cd ${relative(root, dir)} && ${displayCommand('packer', args)})`);
    return;
  }
  mkdirSync(dist, { recursive: true });
  writeFileSync(logfile, '');
  await run('packer', args, { cwd: dir, env: { PACKER_LOG: '1', PACKER_LOG_PATH: logfile }, missingHint: PACKER_HINT, label: 'packer build' });
  console.log(`AMI built; packer's manifest: ${relative(root, manifest)}, its log: ${relative(root, logfile)}.`);
});

/** The repository URL for the AMI's Repo tag, without any credentials it holds (the tag is public to the account). */
function gitRemote(root: string): string {
  let url: string;
  try {
    url = execFileSync('git', ['config', '--get', 'remote.origin.url'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return '';
  }
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/i, '$1');
}
