// A build that finishes what it can, says what it could not, and leaves nothing behind:
// `./build.sh`'s closing summary and exit status without an engine, and no partial output or
// scratch dir after kill -9. With an engine but no outside network: finish.docker.spec.ts.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildShWorkspace, summaryOf, type BuildShWorkspace } from './support/build-sh';
import { type PypiIndex } from './support/pypi-index';
import { NX_ENV, type TempWorkspace } from './support/workspace';
import { alive } from '../tools/executors/src/lib/core/sweep';

const OS = execFileSync('sh', ['-c', '. /etc/os-release; echo "$ID${VERSION_ID%%.*}"'], { encoding: 'utf8' }).trim();

let fixture: BuildShWorkspace;
let ws: TempWorkspace;
let index: PypiIndex;
let buildSh: BuildShWorkspace['buildSh'];

beforeAll(async () => {
  fixture = await buildShWorkspace('lava-finish');
  ({ ws, index, buildSh } = fixture);
});

afterAll(async () => fixture?.close());

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
