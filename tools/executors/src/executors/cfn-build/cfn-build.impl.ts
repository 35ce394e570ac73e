import { readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { buildTemplate, cfnPaths, TEMPLATE_SUFFIX } from '../../lib/cfn/template';
import { lavaExecutor, projectRoot } from '../../lib/core/executor';
import { writeFileAtomic } from '../../lib/core/fs';
import { readVersion } from '../../lib/workspace/version';
import type { CfnBuildExecutorSchema } from './schema';

export default lavaExecutor<CfnBuildExecutorSchema>(async (options, context) => {
  const { sourceDir, outputDir, files } = cfnPaths(
    context.root,
    options.sourceDir ?? projectRoot(context),
    options.outputPath ?? 'dist/cfn',
  );
  const version = readVersion(context.root);
  // Every template is built in memory first: one broken template writes nothing.
  const built = files.map((file) => {
    const source = join(sourceDir, file);
    return { file, ...buildTemplate(readFileSync(source, 'utf8'), relative(context.root, source), version.num) };
  });
  for (const { skipped } of built) if (skipped) process.stderr.write(`⚠ ${skipped}\n`);
  await removeStaleTemplates(outputDir, files);
  for (const { file, text } of built) {
    await writeFileAtomic(join(outputDir, file), text);
    console.log(`${relative(context.root, join(outputDir, file))} (version ${version.num})`);
  }
});

/** A template whose source was removed or renamed must not linger in dist. */
async function removeStaleTemplates(outputDir: string, current: readonly string[]): Promise<void> {
  const existing = await readdir(outputDir).catch(() => [] as string[]);
  for (const name of existing) {
    if (name.endsWith(TEMPLATE_SUFFIX) && !current.includes(name)) await rm(join(outputDir, name), { force: true });
  }
}
