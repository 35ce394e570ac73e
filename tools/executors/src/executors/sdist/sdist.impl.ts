import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BuildError } from '../../lib/core/errors';
import { lavaExecutor } from '../../lib/core/executor';
import { withTempDir } from '../../lib/core/fs';
import { pythonTool } from '../../lib/python/venv';
import { buildSdist, sdistFileName } from '../../lib/python/sdist';
import { readVersion } from '../../lib/workspace/version';
import type { SdistExecutorSchema } from './schema';

export function normalizeOptions(options: SdistExecutorSchema) {
  return {
    sourceDir: options.sourceDir ?? 'packages/lava',
    outputPath: options.outputPath ?? 'dist/jinlava',
    distribution: options.distribution ?? 'jinlava',
  };
}

export default lavaExecutor<SdistExecutorSchema>(async (options, context) => {
  const o = normalizeOptions(options);
  if (!existsSync(join(context.root, o.sourceDir, 'setup.py'))) {
    throw new BuildError(`no setup.py in ${o.sourceDir}: the sdist is built from the lava tree's setup.py`);
  }
  const version = readVersion(context.root);
  const python = pythonTool(context.root, 'python');
  const expected = sdistFileName(o.distribution, version.num);
  const target = `${o.outputPath}/${expected}`;
  await withTempDir('lava-sdist', (scratch) =>
    buildSdist({ python, sourceDir: join(context.root, o.sourceDir), scratch, expected, target: join(context.root, target) }),
  );
  console.log(`${target} (${o.distribution} ${version.full})`);
});
