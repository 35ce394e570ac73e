import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BuildError } from '../../lib/core/errors';
import { lavaExecutor } from '../../lib/core/executor';
import { checkPublishable, publishDirectory } from '../../lib/docs/gh-pages';
import { redactUrl } from '../../lib/core/redact';
import { readVersion } from '../../lib/workspace/version';
import type { GhPagesExecutorSchema } from './schema';

export default lavaExecutor<GhPagesExecutorSchema>(async (options, context) => {
  const remote = options.remote ?? 'origin';
  const branch = options.branch ?? 'gh-pages';
  const site = options.site ?? 'dist/doc/site';
  const { remoteUrl, head } = await checkPublishable(context.root, { mainBranch: options.mainBranch ?? 'main', remote });
  const dir = join(context.root, site);
  if (!existsSync(join(dir, 'index.html'))) {
    throw new BuildError(`${site} holds no built site`, { fix: `npx nx run ${context.projectName}:build` });
  }
  const version = readVersion(context.root);
  const message = `lava user guide ${version.full}, from ${head.slice(0, 12)}`;
  const commit = await publishDirectory({ cwd: context.root, dir, remote, branch, message });
  console.log(`Published ${site} to ${branch} of ${remote} (${redactUrl(remoteUrl)}) as ${commit.slice(0, 12)}: "${message}".`);
});
