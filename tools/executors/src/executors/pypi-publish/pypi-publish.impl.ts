import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import { BuildError } from '../../lib/core/errors';
import { lavaExecutor } from '../../lib/core/executor';
import { run } from '../../lib/core/process';
import { hasVersion, pypircRepository, repositoryFiles, simpleIndexUrl, twineUpload, type Repository } from '../../lib/release/pypi';
import { pythonTool } from '../../lib/python/venv';
import { redact } from '../../lib/core/redact';
import { sdistFileName } from '../../lib/python/sdist';
import { readVersion } from '../../lib/workspace/version';
import type { PypiPublishExecutorSchema } from './schema';

export default lavaExecutor<PypiPublishExecutorSchema>(async (options, context) => {
  const distribution = options.distribution ?? 'jinlava';
  const version = readVersion(context.root).num;
  const sdist = join(context.root, options.distDir ?? 'dist/jinlava', sdistFileName(distribution, version));
  if (!existsSync(sdist)) throw new BuildError(`${relative(context.root, sdist)} is not built`, { fix: `npx nx run ${context.projectName}:build` });

  const pypirc = options.pypirc ?? join(homedir(), '.pypirc');
  const repo = repositoryFromEnvironment() ?? repositoryFromPypirc(pypirc, options.repository ?? 'pypi');
  const secrets = repo.password ? [repo.password] : [];
  const where = redact(repo.name ? `[${repo.name}] ${repo.uploadUrl}` : repo.uploadUrl, secrets);

  const files = await repositoryFiles(repo, distribution);
  if (hasVersion(files, distribution, version)) {
    throw new BuildError(`${distribution} ${version} is already on ${redact(simpleIndexUrl(repo.uploadUrl), secrets)}; an index never takes a version twice`, {
      fix: 'raise the version in lava/VERSION.json',
    });
  }
  const upload = twineUpload(repo, [sdist], repo.name ? pypirc : undefined);
  // No keyring lookups: the credentials are the ones given, and a desktop keyring may prompt.
  await run(pythonTool(context.root, 'twine'), upload.args, {
    env: { ...upload.env, PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring' },
    secrets,
    label: 'twine upload',
  });
  console.log(`Published ${sdistFileName(distribution, version)} to ${where}.`);
});

function repositoryFromEnvironment(): Repository | undefined {
  const url = process.env.TWINE_REPOSITORY_URL;
  if (!url) return undefined;
  return { uploadUrl: url, username: process.env.TWINE_USERNAME || '__token__', password: process.env.TWINE_PASSWORD || undefined };
}

function repositoryFromPypirc(pypirc: string, name: string): Repository {
  const fix = `add a [${name}] section to ${pypirc}, or set TWINE_REPOSITORY_URL and TWINE_PASSWORD`;
  if (!existsSync(pypirc)) throw new BuildError(`no ${pypirc} and no TWINE_REPOSITORY_URL`, { fix });
  const repo = pypircRepository(readFileSync(pypirc, 'utf8'), name);
  if (!repo) throw new BuildError(`${pypirc} has no [${name}] section`, { fix });
  return repo;
}
