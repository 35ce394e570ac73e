import { isAbsolute, join, relative } from 'node:path';
import { lavaExecutor, projectRoot } from '../../lib/executor';
import { withTempDir } from '../../lib/fs';
import { buildGuide, guideSources } from '../../lib/mkdocs';
import { readVersion } from '../../lib/version';
import type { MkdocsBuildExecutorSchema } from './schema';

export default lavaExecutor<MkdocsBuildExecutorSchema>(async (options, context) => {
  const version = readVersion(context.root);
  const sources = guideSources(context.root, relative(context.root, projectRoot(context)), options, version);
  const outputPath = options.outputPath ?? 'dist/doc/site';
  const siteDir = isAbsolute(outputPath) ? outputPath : join(context.root, outputPath);
  await withTempDir('lava-docs', (scratch) => buildGuide(sources, siteDir, scratch));
  console.log(`User guide ${version.full}: ${relative(context.root, siteDir)}/index.html`);
});
