// Real nx without blocking the test's event loop, for tests whose fakes (a
// download site, a registry stub) are servers inside the test process.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { NX_ENV, type NxResult } from './workspace';

export function runNxAsync(cwd: string, args: string[], env: Record<string, string | undefined> = {}): Promise<NxResult> {
  const merged: NodeJS.ProcessEnv = { ...process.env, ...NX_ENV, ...env };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  return new Promise((done, fail) => {
    const child = spawn(join(cwd, 'node_modules/.bin/nx'), args, { cwd, env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ exitCode: code ?? 1, stdout, stderr, output: `${stdout}\n${stderr}` }));
  });
}
