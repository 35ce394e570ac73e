import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BuildError } from '../../lib/core/errors';
import { lavaExecutor } from '../../lib/core/executor';
import { templateZipName, writeTemplateZip } from '../../lib/python/job-framework';
import { readVersion } from '../../lib/workspace/version';
import type { JobFrameworkExecutorSchema } from './schema';

export function normalizeOptions(options: JobFrameworkExecutorSchema) {
  const symlinks = options.symlinks ?? 'follow';
  if (symlinks !== 'follow' && symlinks !== 'refuse') {
    throw new BuildError(`symlinks must be "follow" or "refuse", got "${symlinks as string}" (zips cannot keep links)`);
  }
  return {
    resourcesDir: options.resourcesDir ?? 'packages/lava/lava/resources',
    linkRoots: options.linkRoots ?? ['packages/lava/etc', 'packages/lava/bin'],
    outputPath: options.outputPath ?? 'dist/dev-tools',
    symlinks,
  };
}

export default lavaExecutor<JobFrameworkExecutorSchema>(async (options, context) => {
  const o = normalizeOptions(options);
  const resourcesDir = join(context.root, o.resourcesDir);
  if (!existsSync(join(resourcesDir, 'cookiecutter/cookiecutter.json'))) {
    throw new BuildError(`no job-framework template at ${o.resourcesDir}/cookiecutter (no cookiecutter.json)`);
  }
  const version = readVersion(context.root);
  const target = `${o.outputPath}/${templateZipName(version.num)}`;
  const count = await writeTemplateZip(resourcesDir, join(context.root, target), version, {
    symlinks: o.symlinks,
    linkRoots: o.linkRoots.map((root) => join(context.root, root)),
    displayRoot: context.root,
  });
  console.log(`${target} (${count} entries, version ${version.full})`);
});
