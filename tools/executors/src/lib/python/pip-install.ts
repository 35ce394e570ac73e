// One `pip install --target` run, its failure turned into the one line of pip-failure.ts.
import { BuildError, isBuildError } from '../core/errors';
import { run, tail, type RunOptions } from '../core/process';
import { redact, secretsOfUrl } from '../core/redact';
import { buildFailure, conflictingProjects, explainPipFailure, failedRequirement, probeIndex, projectOf } from './pip-failure';
import { pipIndexEnv, pipInstallCommand, PIP_QUIET_ENV, requirementList, type Command, type Installer, type PipInstallSpec } from './pip';

/** How an install is explained when it fails, wherever it runs. */
export interface InstallReport {
  /** The effective index (from resolveIndexUrl), for error lines and redaction. */
  indexUrl: string;
  /** The requirement files, as the command names them. */
  requirements: string | readonly string[];
  /** How the requirements files are named in error lines (the argv may name staged copies), in order. */
  requirementsShownAs?: string | readonly string[];
  /** The requirement files as this machine reads them (to name the lines in conflict), in order. */
  requirementsOnHost?: readonly string[];
  installer?: Installer;
  /** On failure, ask the index directly why (default true; turn off where the host cannot reach what the command reached). */
  probe?: boolean;
  /** The installer's own output in what the command printed (a BuildKit build prefixes each line); may throw a failure of its own. */
  installerOutput?: (printed: string) => string;
  run?: RunOptions;
}

export interface InstallOptions extends PipInstallSpec, InstallReport {
  /** Pass the index in the environment (needed for uv and containers; pip on the host reads its own config). */
  passIndex?: boolean;
  /** Wraps the command, e.g. to prefix `docker run …`; the default runs it as is. */
  wrap?: (command: Command) => Command;
}

/** Runs one install; a failure becomes the one line of explainPipFailure, secrets redacted. */
export async function installRequirements(options: InstallOptions): Promise<void> {
  const command = (options.wrap ?? ((c) => c))(pipInstallCommand(options));
  const indexEnv = options.passIndex ? pipIndexEnv(options.indexUrl, options.installer) : {};
  await runInstall(command, { ...options, run: { ...options.run, env: { ...(options.run?.env ?? {}), ...indexEnv } } });
}

/** Runs an install command (pip's or uv's, maybe inside `docker run`); a failure becomes the one line of explainPipFailure. */
export async function runInstall(command: Command, options: InstallReport): Promise<void> {
  const secrets = [...(options.run?.secrets ?? []), ...secretsOfUrl(options.indexUrl)];
  const env = { ...PIP_QUIET_ENV, ...(options.run?.env ?? {}) };
  const argvFiles = requirementList(options.requirements);
  const shownAs = options.requirementsShownAs === undefined ? argvFiles : requirementList(options.requirementsShownAs);
  const files = argvFiles.map((path, i) => ({ path: options.requirementsOnHost?.[i] ?? path, shownAs: shownAs[i] ?? path }));
  try {
    await run(command.file, command.args, {
      label: options.installer ?? 'pip',
      missingHint: options.installer === 'uv' ? 'npx nx run python-env:init (uv comes with the Python tools)' : 'apt-get install python3-pip',
      ...options.run,
      env,
      secrets,
      fullOutput: true,
    });
  } catch (error) {
    if (!isBuildError(error) || !error.detail) throw error;
    const output = options.installerOutput ? options.installerOutput(error.detail) : error.detail;
    const wanted = buildFailure(output) || conflictingProjects(output) ? undefined : failedRequirement(output);
    const answer = wanted && options.probe !== false ? await probeIndex(options.indexUrl, projectOf(wanted)) : undefined;
    const explained = explainPipFailure(output, options.indexUrl, files, answer, options.installer ?? 'pip');
    throw new BuildError(explained.problem, { fix: explained.fix, detail: redact(tail(output), secrets), cause: error });
  }
}
