import { isAbsolute, join, relative } from 'node:path';
import { lavaExecutor, projectRoot } from '../../lib/core/executor';
import { withTempDir } from '../../lib/core/fs';
import { buildGuide, guideSources, SITE_NAME } from '../../lib/docs/mkdocs';
import { readVersion } from '../../lib/workspace/version';
import type { MkdocsBuildExecutorSchema } from './schema';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export default lavaExecutor<MkdocsBuildExecutorSchema>(async (options, context) => {
  const version = readVersion(context.root);
  const sources = guideSources(context.root, relative(context.root, projectRoot(context)), options, version);
  const outputPath = options.outputPath ?? 'dist/doc';
  const outDir = isAbsolute(outputPath) ? outputPath : join(context.root, outputPath);
  const built = await withTempDir('lava-docs', (scratch) => buildGuide(sources, outDir, scratch, { strict: options.strict }));
  const problems = [
    plural(built.warnings.length, 'mkdocs warning'),
    plural(built.errors.length, 'mkdocs error') + (built.errors.length ? ' logged (mkdocs carried on)' : ''),
    plural(built.xrefWarnings.length, 'unknown cross-reference'),
  ];
  const samples = built.samples ? 'samples page regenerated' : 'samples page as committed (no dev-tools generator)';
  console.log(`User guide ${version.full}: ${plural(built.pages.length, 'page')}; ${samples}; ${problems.join(', ')}.`);
  if (!options.strict && built.warnings.length + built.errors.length) console.log('(npx nx run docs:build --strict fails on them.)');
  console.log(`Site: ${relative(context.root, join(outDir, SITE_NAME))}/index.html`);
});
