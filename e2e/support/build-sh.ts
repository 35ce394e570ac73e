// `./build.sh` as a user runs it, in a copy whose worker pins two tiny wheels from a local
// index: what the finish tests (finish.spec.ts, finish.docker.spec.ts) run and read.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPypiIndex, tinyWheels, type PypiIndex } from './pypi-index';
import { copyWorkspace, NX_ENV, type TempWorkspace } from './workspace';

export interface BuildShWorkspace {
  ws: TempWorkspace;
  index: PypiIndex;
  /** `./build.sh` minus the install step (the copy shares node_modules and .venv), as a user sees it. */
  buildSh(env: Record<string, string | undefined>): { status: number | null; stdout: string; output: string };
  /** Stops the index and removes the copy. */
  close(): Promise<void>;
}

export async function buildShWorkspace(prefix: string): Promise<BuildShWorkspace> {
  const ws = copyWorkspace({ prefix });
  let index: PypiIndex;
  try {
    index = await startPypiIndex({ wheels: await tinyWheels(join(ws.root, '.wheels')) });
  } catch (error) {
    ws.remove();
    throw error;
  }
  writeFileSync(ws.path('packages/lava/requirements.txt'), 'tinypure==1.0\n');
  writeFileSync(ws.path('packages/lava/requirements-extra.txt'), 'tinyplat==2.0\n');
  return {
    ws,
    index,
    buildSh(env) {
      // As a user's shell would run it into a log file: no colour settings of the test harness.
      const merged: NodeJS.ProcessEnv = { ...process.env, ...NX_ENV, CI: undefined, FORCE_COLOR: undefined, NO_COLOR: undefined, PIP_INDEX_URL: index.url, ...env };
      for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
      const r = spawnSync(process.execPath, ['-r', './tools/executors/ts-register.js', 'tools/setup/build.ts'], { cwd: ws.root, env: merged, encoding: 'utf8', maxBuffer: 64 << 20 });
      return { status: r.status, stdout: r.stdout, output: `${r.stdout}\n${r.stderr}` };
    },
    async close() {
      await index.close();
      ws.remove();
    },
  };
}

/** The summary block: from its heading to the end of stdout. */
export const summaryOf = (stdout: string) => stdout.slice(stdout.lastIndexOf('\nBuild summary\n') + 1).trimEnd().split('\n');
