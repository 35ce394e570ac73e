// pypiserver (PyPI pypiserver, in the workspace .venv) on 127.0.0.1: a real
// upload target for publish tests, storing what it is sent in a temp folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythonTool } from '../lib/python/venv';
import { freePort } from '../lib/core/serve';

export interface PypiServer {
  /** The upload URL (also the root of /simple/). */
  url: string;
  /** The files it holds. */
  files(): string[];
  stop(): Promise<void>;
}

/** No authentication (`-a . -P .`): twine still sends the credentials it is given, which is what tests watch. */
export async function startPypiServer(workspaceRoot: string): Promise<PypiServer> {
  const program = pythonTool(workspaceRoot, 'pypi-server');
  const dir = mkdtempSync(join(tmpdir(), 'pypiserver-'));
  const port = await freePort();
  const child: ChildProcess = spawn(program, ['run', '-i', '127.0.0.1', '-p', String(port), '-a', '.', '-P', '.', '--disable-fallback', dir], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`pypi-server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}simple/`)).ok) return { url, files: () => readdirSync(dir).sort(), stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`pypi-server did not answer at ${url}`);
}
