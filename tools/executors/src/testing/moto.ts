// moto's server (PyPI moto[server], in the workspace .venv) on 127.0.0.1: the
// AWS test double for ECR. Tests get an endpoint, fake credentials and a stop.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { pythonTool } from '../lib/python/venv';
import { freePort } from '../lib/core/serve';

export interface Moto {
  endpoint: string;
  /** Environment for the SDK: fake credentials and a region, nothing real. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startMoto(workspaceRoot: string): Promise<Moto> {
  const program = pythonTool(workspaceRoot, 'moto_server');
  const port = await freePort();
  const child: ChildProcess = spawn(program, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  };
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) {
        return {
          endpoint,
          env: { AWS_ACCESS_KEY_ID: 'fake-moto-key', AWS_SECRET_ACCESS_KEY: 'fake-moto-secret', AWS_REGION: 'eu-west-1' },
          stop,
        };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`moto_server did not answer at ${endpoint}`);
}
