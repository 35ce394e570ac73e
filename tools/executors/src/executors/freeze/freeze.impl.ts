import { readdirSync } from 'node:fs';
import { relative } from 'node:path';
import { BuildError } from '../../lib/core/errors';
import { lavaExecutor, projectRoot } from '../../lib/core/executor';
import { freezeFolder } from '../../lib/python/freeze';
import { run } from '../../lib/core/process';
import { pythonTool } from '../../lib/python/venv';
import type { FreezeExecutorSchema } from './schema';

export default lavaExecutor<FreezeExecutorSchema>(async (options, context) => {
  const dir = projectRoot(context);
  const shown = relative(context.root, dir);
  const pythonVersion =
    options.pythonVersion ??
    (await run('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { stream: false, missingHint: 'apt-get install python3' })).stdout.trim();
  const frozen = await freezeFolder(
    { dir, uv: pythonTool(context.root, 'uv'), pythonVersion, upgrade: options.upgrade, check: options.check, indexUrl: process.env.PIP_INDEX_URL || undefined },
    readdirSync(dir),
  );
  if (frozen.length === 0) {
    console.log(`${shown}: no requirements*.in to freeze.`);
    return;
  }
  for (const f of frozen) {
    const state = f.changed ? (options.check ? 'would change' : 'written') : 'unchanged';
    console.log(`${shown}/${f.txt}: ${state} (from ${f.in}, Python ${pythonVersion}${options.upgrade ? ', upgraded' : ''})`);
  }
  const stale = frozen.filter((f) => f.changed);
  if (options.check && stale.length) {
    throw new BuildError(`${stale.map((f) => `${shown}/${f.txt}`).join(', ')} not frozen from ${stale.map((f) => f.in).join(', ')}`, {
      fix: `npx nx run ${context.projectName}:freeze`,
    });
  }
});
