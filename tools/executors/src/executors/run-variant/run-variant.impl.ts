import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { execa } from 'execa';
import { dropNxSummary, nestedNxEnv } from '../../lib/workspace/nested-nx';
import type { RunVariantExecutorSchema } from './schema';

/** `--name=value` for every option the front door was given beyond `target`, for the variant. */
export function forwardedArgs(options: RunVariantExecutorSchema): string[] {
  return Object.entries(options)
    .filter(([name, value]) => name !== 'target' && value !== undefined)
    .flatMap(([name, value]) => (Array.isArray(value) ? value.map((v) => `--${name}=${v}`) : [`--${name}=${String(value)}`]));
}

// Not lavaExecutor: the nested nx prints its own one-line error, and a second ✖ line would repeat it.
export default async function runVariant(options: RunVariantExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const task = `${context.projectName}:${options.target}`;
  const nx = join(context.root, 'node_modules/.bin/nx');
  // The outer nx prints the one summary; colour only when the user's terminal is one.
  const summary = { dropping: false };
  const result = await execa(nx, ['run', task, ...forwardedArgs(options)], {
    cwd: context.root,
    env: nestedNxEnv(),
    stdin: 'inherit',
    stdout: [dropNxSummary(summary), 'inherit'],
    stderr: [dropNxSummary(summary), 'inherit'],
    reject: false,
  });
  return { success: result.exitCode === 0 };
}
