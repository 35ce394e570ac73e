import { join, relative } from 'node:path';
import fg from 'fast-glob';
import { BuildError } from '../../lib/core/errors';
import { lavaExecutor, projectRoot } from '../../lib/core/executor';
import { formatMisspellings, spellCheck } from '../../lib/docs/spell';
import type { SpellCheckExecutorSchema } from './schema';

export default lavaExecutor<SpellCheckExecutorSchema>(async (options, context) => {
  const project = relative(context.root, projectRoot(context));
  const patterns = options.files ?? [`${project}/user-guide/**/*.md`];
  // Byte order, so the report reads the same on every machine and locale.
  const files = fg.sync(patterns, { cwd: context.root, onlyFiles: true }).sort();
  if (files.length === 0) throw new BuildError(`no Markdown files match ${patterns.join(', ')}`);
  const dictionary = join(context.root, options.dictionary ?? `${project}/.aspell-dict`);
  const found = await spellCheck(
    files.map((file) => join(context.root, file)),
    { dictionary, lang: options.lang ?? 'en', display: (file) => relative(context.root, file) },
  );
  if (found.length) {
    console.log(formatMisspellings(found));
    throw new BuildError(`${found.length} unknown word${found.length === 1 ? '' : 's'} in ${files.length} files`, {
      fix: `correct them, or add real words to ${relative(context.root, dictionary)}`,
    });
  }
  console.log(`Spelling: ${files.length} file${files.length === 1 ? '' : 's'}, no unknown words.`);
});
