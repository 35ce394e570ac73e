import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BuildError } from '../../lib/core/errors';
import { lavaExecutor } from '../../lib/core/executor';
import { pipIndexEnv, resolveIndexUrl } from '../../lib/python/pip';
import { run } from '../../lib/core/process';
import { envStamp, pyenvSelector, PYTHON_ENV_STAMP, PYTHON_TOOLS_REQUIREMENTS, pinnedVersion, pythonEnvDir } from '../../lib/python/venv';
import { resolveInterpreter } from '../../lib/python/interpreter';
import { secretsOfUrl } from '../../lib/core/redact';
import type { PythonEnvExecutorSchema } from './schema';

export default lavaExecutor<PythonEnvExecutorSchema>(async (options, context) => {
  const requirementsName = options.requirements ?? PYTHON_TOOLS_REQUIREMENTS;
  const requirements = join(context.root, requirementsName);
  const python = options.python ?? 'python3';
  const venv = pythonEnvDir(context.root);
  const stampFile = join(venv, PYTHON_ENV_STAMP);
  if (!existsSync(requirements)) throw new BuildError(`requirements file ${requirements} is missing`);
  const text = readFileSync(requirements, 'utf8');
  const uvVersion = pinnedVersion(text, 'uv');
  if (!uvVersion) throw new BuildError(`${requirementsName} pins no uv (uv==X.Y.Z), which installs the tools`, { fix: `add uv==<version> to ${requirementsName}` });

  const interpreter = resolveInterpreter(python);
  if (!interpreter) throw new BuildError(`no ${python} on PATH`, { fix: 'apt-get install python3 python3-venv' });
  const stamp = envStamp(createHash('sha256').update(text).digest('hex'), interpreter, statSync(interpreter).mtimeMs, pyenvSelector(context.root));
  if (!options.force && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === stamp) {
    console.log(`Python environment ${venv} is up to date (${interpreter}).`);
    return;
  }

  // The stamp is written last: a venv without it is incomplete and is rebuilt from scratch.
  await rm(venv, { recursive: true, force: true });
  try {
    await run(python, ['-m', 'venv', venv], { label: 'creating the Python environment', missingHint: 'apt-get install python3-venv' });
    const venvPython = join(venv, 'bin', 'python');
    // The index pip is configured with (PIP_INDEX_URL, then pip's config files), for both installers.
    const indexUrl = await resolveIndexUrl(venvPython);
    const secrets = secretsOfUrl(indexUrl);
    // No progress bars: nx forces colour on in tasks, and a log file would get their ANSI frames.
    const quiet = ['--disable-pip-version-check', '--no-input', '--progress-bar', 'off'];
    // uv itself, at the pinned version, by the venv's own pip (one wheel); then uv installs the
    // pinned tools, many times faster than pip, with the same pins. uv links the files from its
    // cache (hard links on one file system: 4.5 s against 27.6 s for copies of the 420 MB);
    // nothing writes into the environment's installed files, so the cache stays intact.
    await run(venvPython, ['-m', 'pip', 'install', ...quiet, `uv==${uvVersion}`], { secrets, label: 'pip', env: { PIP_INDEX_URL: indexUrl } });
    await run(
      join(venv, 'bin', 'uv'),
      ['pip', 'install', '--python', venvPython, '--no-progress', '--requirement', requirements],
      { secrets, label: 'uv', env: { ...pipIndexEnv(indexUrl, 'uv'), VIRTUAL_ENV: venv } },
    );
    await writeFile(stampFile, `${stamp}\n`);
  } catch (error) {
    await rm(venv, { recursive: true, force: true });
    throw error;
  }
  console.log(`Python environment ready at ${venv}.`);
});
