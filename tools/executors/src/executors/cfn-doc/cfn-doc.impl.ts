import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cfdoc } from '../../lib/cfn/cfdoc';
import { cfnPaths, templateName } from '../../lib/cfn/template';
import { BuildError } from '../../lib/core/errors';
import { lavaExecutor, projectRoot } from '../../lib/core/executor';
import { writeFileAtomic } from '../../lib/core/fs';
import type { CfnDocExecutorSchema } from './schema';

export default lavaExecutor<CfnDocExecutorSchema>(async (options, context) => {
  const { outputDir, files } = cfnPaths(context.root, options.sourceDir ?? projectRoot(context), options.outputPath ?? 'dist/cfn');
  const formats = options.formats ?? ['md', 'html'];
  const render = cfdoc(context.root);
  const documents: Array<{ path: string; text: string }> = [];
  for (const file of files) {
    const built = join(outputDir, file);
    if (!existsSync(built)) {
      throw new BuildError(`${relative(context.root, built)} is not built`, { fix: `npx nx run ${context.projectName}:build` });
    }
    for (const format of formats) {
      const { stdout, stderr } = await render(built, { format });
      if (stderr.trim()) process.stderr.write(stderr);
      documents.push({ path: join(outputDir, `${templateName(file)}.cfn.${format}`), text: stdout });
    }
  }
  for (const { path, text } of documents) {
    await writeFileAtomic(path, text);
    console.log(relative(context.root, path));
  }
});
