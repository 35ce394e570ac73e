// A build that finishes what it can, says what it could not, and leaves nothing behind:
// `./build.sh`'s closing summary and exit status without an engine (and, with one, without the
// outside network: this machine has none), and no partial output or scratch dir after kill -9.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerUnavailable, engineEnv } from './support/docker';
import { startPypiIndex, tinyWheels, type PypiIndex } from './support/pypi-index';
import { copyWorkspace, NX_ENV, type TempWorkspace } from './support/workspace';
import { alive } from '../tools/executors/src/lib/core/sweep';

const OS = execFileSync('sh', ['-c', '. /etc/os-release; echo "$ID${VERSION_ID%%.*}"'], { encoding: 'utf8' }).trim();

let ws: TempWorkspace;
let index: PypiIndex;

beforeAll(async () => {
  ws = copyWorkspace({ prefix: 'lava-finish' });
  index = await startPypiIndex({ wheels: await tinyWheels(join(ws.root, '.wheels')) });
  writeFileSync(ws.path('packages/lava/requirements.txt'), 'tinypure==1.0\n');
  writeFileSync(ws.path('packages/lava/requirements-extra.txt'), 'tinyplat==2.0\n');
});

afterAll(async () => {
  await index?.close();
  ws?.remove();
});

/** `./build.sh` minus the install step (the copy shares node_modules and .venv), as a user sees it. */
function buildSh(env: Record<string, string | undefined>) {
  // As a user's shell would run it into a log file: no colour settings of the test harness.
  const merged: NodeJS.ProcessEnv = { ...process.env, ...NX_ENV, CI: undefined, FORCE_COLOR: undefined, NO_COLOR: undefined, PIP_INDEX_URL: index.url, ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  const r = spawnSync(process.execPath, ['-r', '@swc-node/register', 'tools/setup/build.ts'], { cwd: ws.root, env: merged, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, output: `${r.stdout}\n${r.stderr}` };
}

/** The summary block: from its heading to the end of stdout. */
const summaryOf = (stdout: string) => stdout.slice(stdout.lastIndexOf('\nBuild summary\n') + 1).trimEnd().split('\n');

describe('./build.sh', () => {
  it('without an engine: builds the rest, skips the docker artefacts saying how to get one, ends with the summary, exit 0', () => {
    const run = buildSh({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(run.status, run.output).toBe(0);
    const summary = summaryOf(run.stdout);
    expect(summary[0]).toBe('Build summary');
    expect(run.stdout.trimEnd().endsWith(summary.at(-1)!)).toBe(true);
    expect(summary.at(-1)).toMatch(/^\d+ built, \d+ restored from cache, \d+ skipped, 0 failed$/);
    const row = (task: string) => summary.find((l) => new RegExp(`^\\S+ \\w+ +${task.replace(/[.]/g, '\\.')}(\\s|$)`).test(l));
    expect(row('lambda-stop:build')).toMatch(/^⚠ skipped .*no docker engine; run: eval "\$\(sudo tools\/docker-engine\/engine\.sh up\)", then \.\/build\.sh$/);
    expect(row('builder-amzn2023-py3.13:build')).toMatch(/^⚠ skipped .*no docker engine/);
    expect(row('docker-ubuntu24:build-base')).toMatch(/^⚠ skipped .*no docker engine/);
    for (const task of ['cfn:build', 'cfn:doc', 'jinlava:build', 'job-framework:build', 'docs:build', 'worker-bundle:pkg--host']) {
      expect(row(task), `${task} in\n${summary.join('\n')}`).toMatch(/^✔ (built|cached) /);
    }
    // The source checks are not part of the build (make check and make test were not either).
    expect(summary.filter((l) => /:(lint|test) /.test(l))).toEqual([]);
    expect(run.output).not.toMatch(/\x1b\[/);
  });

  it.skipIf(dockerUnavailable())('with an engine but no outside network: what needs it is skipped with its cause, the rest is there, exit 0 (3 under LAVA_BUILD_STRICT=1)', () => {
    const run = buildSh({ ...engineEnv(), LAVA_BUILD_STRICT: '1' });
    expect(run.status, run.output).toBe(3);
    const summary = summaryOf(run.stdout);
    const row = (task: string) => summary.find((l) => l.split(/\s+/)[2] === task) ?? '';
    expect(row('oracle:sync')).toMatch(/^⚠ skipped +oracle:sync +cannot reach https:\/\/download\.oracle\.com\/.*\((ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT)\); run: npx nx run oracle:sync --baseUrl=<mirror>$/);
    expect(row('builder-amzn2023-py3.13:build')).toMatch(/^⚠ skipped .*cannot pull the base image docker\.io\/library\/amazonlinux:2023 .*; run: dockerd --registry-mirror=/);
    expect(row('lambda-stop:build')).toMatch(/^⚠ skipped .*needs builder-amzn2023-py3\.13:build: cannot pull the base image/);
    expect(row('worker-bundle:pkg--host')).toMatch(/^✔ (built|cached) /);
    expect(summary.at(-1)).toMatch(/ 0 failed$/);
    // The task's own line: the image, the registry and the fix, not buildx's command line; buildx's
    // error block shown once per failed build.
    const marks = run.output.split('\n').filter((l) => l.startsWith('✖ '));
    expect(marks).toContain(
      '✖ builder-amzn2023-py3.13:build: docker buildx build of amzn2023-py3.13: cannot pull the base image docker.io/library/amazonlinux:2023 from registry-1.docker.io (no such host); run: dockerd --registry-mirror=<a mirror of docker.io you can reach> (README, "Without network")',
    );
    expect(marks.filter((l) => l.includes('--platform'))).toEqual([]);
    const buildxFailures = marks.filter((l) => l.includes('cannot pull the base image')).length;
    expect(run.output.split('\n').filter((l) => l.startsWith('ERROR: failed to solve')).length).toBe(buildxFailures);
    expect(run.output).not.toMatch(/\x1b\[/);
  });
});

describe('kill -9', () => {
  it('during the bundle\'s compression leaves a staging file the next run removes, and no scratch dir of the dead task', async () => {
    // Enough incompressible bytes that bzip2 runs for seconds.
    writeFileSync(ws.path('packages/lava/lava/ballast.bin'), randomBytes(24 << 20));
    const distDir = ws.path('dist', 'pkg', OS);
    const env: NodeJS.ProcessEnv = { ...process.env, ...NX_ENV, PIP_INDEX_URL: index.url };
    const nx = spawn(ws.path('node_modules/.bin/nx'), ['run', 'worker-bundle:pkg--host', '--skip-nx-cache'], { cwd: ws.root, env, detached: true, stdio: 'ignore' });
    const staging = () => (existsSync(distDir) ? readdirSync(distDir).filter((n) => n.endsWith('.tmp')) : []);
    for (const end = Date.now() + 300_000; staging().length === 0 && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
    const tasks = execFileSync('pgrep', ['-g', String(nx.pid)], { encoding: 'utf8' }).trim().split('\n').map(Number);
    process.kill(-nx.pid!, 'SIGKILL');
    // The next run comes after the build died: every process of it gone (or a zombie, which is dead).
    for (const end = Date.now() + 30_000; tasks.some(alive) && Date.now() < end; ) await new Promise((r) => setTimeout(r, 100));
    expect(tasks.filter(alive)).toEqual([]);
    expect(staging()).toHaveLength(1);
    const scratchOfDead = () => readdirSync(tmpdir()).filter((n) => tasks.some((pid) => n.startsWith('lava-bundle-p') && n.includes(`-p${pid}-`)));
    expect(scratchOfDead()).toHaveLength(1);

    const again = ws.nx(['run', 'worker-bundle:pkg--host', '--skip-nx-cache'], { PIP_INDEX_URL: index.url });
    expect(again.exitCode, again.output).toBe(0);
    expect(readdirSync(distDir).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(readdirSync(distDir)).toEqual([expect.stringMatching(/^lava-8\.2\.0-.*\.tar\.bz2$/)]);
    expect(scratchOfDead()).toEqual([]);
  }, 600_000);
});
