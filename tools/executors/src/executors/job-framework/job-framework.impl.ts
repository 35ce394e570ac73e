import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BuildError } from '../../lib/errors';
import { lavaExecutor } from '../../lib/executor';
import { templateZipName, writeTemplateZip } from '../../lib/template-zip';
import { readVersion } from '../../lib/version';
import type { JobFrameworkExecutorSchema } from './schema';

export function normalizeOptions(options: JobFrameworkExecutorSchema) {
  const symlinks = options.symlinks ?? 'follow';
  if (symlinks !== 'follow' && symlinks !== 'refuse') {
    throw new BuildError(`symlinks must be "follow" or "refuse", got "${symlinks as string}" (zips cannot keep links)`);
  }
  return {
    templateDir: options.templateDir ?? 'packages/job-framework/cookiecutter',
    outputPath: options.outputPath ?? 'dist/dev-tools',
    symlinks,
  };
}

export default lavaExecutor<JobFrameworkExecutorSchema>(async (options, context) => {
  const o = normalizeOptions(options);
  const templateDir = join(context.root, o.templateDir);
  if (!existsSync(templateDir)) throw new BuildError(`no job-framework template at ${o.templateDir}`);
  const version = readVersion(context.root);
  const target = `${o.outputPath}/${templateZipName(version.num)}`;
  const count = await writeTemplateZip(templateDir, join(context.root, target), version, o.symlinks);
  console.log(`${target} (${count} entries, version ${version.full})`);
});
