// The one failure policy of every executor: a BuildError becomes one line
// (plus the tool's stderr tail, if any) and a failed task; anything else is a
// bug in this build and keeps its stack.
import type { ExecutorContext, PromiseExecutor } from '@nx/devkit';
import { isBuildError } from './errors';

export type ExecutorBody<T> = (options: T, context: ExecutorContext) => Promise<void>;

export function lavaExecutor<T>(body: ExecutorBody<T>): PromiseExecutor<T> {
  return async (options, context) => {
    try {
      await body(options, context);
      return { success: true };
    } catch (error) {
      if (!isBuildError(error)) throw error;
      const where = context.projectName ? `${context.projectName}:${context.targetName}` : 'lava';
      if (error.detail && !error.detailShown) process.stderr.write(`${error.detail.trimEnd()}\n`);
      process.stderr.write(`✖ ${where}: ${error.message}\n`);
      return { success: false };
    }
  };
}

/** The project's root directory, absolute. */
export function projectRoot(context: ExecutorContext): string {
  const name = context.projectName;
  const root = name ? context.projectsConfigurations?.projects[name]?.root : undefined;
  if (root === undefined) throw new Error(`no project root for ${name ?? '(unnamed project)'}`);
  return `${context.root}/${root}`;
}
