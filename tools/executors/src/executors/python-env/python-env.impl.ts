import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BuildError } from '../../lib/errors';
import { lavaExecutor } from '../../lib/executor';
import { run } from '../../lib/process';
import { PYTHON_ENV_STAMP, PYTHON_TOOLS_REQUIREMENTS, pythonEnvDir } from '../../lib/python';
import { secretsOfUrl } from '../../lib/redact';
import type { PythonEnvExecutorSchema } from './schema';

export default lavaExecutor<PythonEnvExecutorSchema>(async (options, context) => {
  const requirements = join(context.root, options.requirements ?? PYTHON_TOOLS_REQUIREMENTS);
  const python = options.python ?? 'python3';
  const venv = pythonEnvDir(context.root);
  const stampFile = join(venv, PYTHON_ENV_STAMP);
  if (!existsSync(requirements)) throw new BuildError(`requirements file ${requirements} is missing`);

  const version = await run(python, ['--version'], { stream: false, missingHint: 'apt-get install python3 python3-venv' });
  const stamp = createHash('sha256').update(version.stdout).update(readFileSync(requirements)).digest('hex');
  if (!options.force && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === stamp) {
    console.log(`Python environment ${venv} is up to date (${version.stdout.trim()}).`);
    return;
  }

  const secrets = secretsOfUrl(process.env.PIP_INDEX_URL);
  // The stamp is written last: a venv without it is incomplete and is rebuilt from scratch.
  await rm(venv, { recursive: true, force: true });
  try {
    await run(python, ['-m', 'venv', venv], { label: 'creating the Python environment', missingHint: 'apt-get install python3-venv' });
    const pip = join(venv, 'bin', 'python');
    // No progress bars: nx forces colour on in tasks, and a log file would get their ANSI frames.
    const quiet = ['--disable-pip-version-check', '--no-input', '--progress-bar', 'off'];
    await run(pip, ['-m', 'pip', 'install', ...quiet, '--requirement', requirements], { secrets, label: 'pip' });
    await writeFile(stampFile, `${stamp}\n`);
  } catch (error) {
    await rm(venv, { recursive: true, force: true });
    throw error;
  }
  console.log(`Python environment ready at ${venv}.`);
});
