import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../testing/temp-dir';
import {
  exitStatus,
  failureFrom,
  planFromGraph,
  readBuildPlanRequest,
  renderSummary,
  requestBuildPlan,
  runRecords,
  summarise,
  writeBuildPlan,
  type PlannedTask,
  type RunRecord,
} from './build-summary';

const task = (id: string, deps: string[] = [], extra: Partial<PlannedTask> = {}): PlannedTask => {
  const [project, target] = id.split(':');
  return { id, project, target, deps, continuous: false, tags: [], ...extra };
};
const ok = (taskId: string, cacheStatus = 'cache-miss'): RunRecord => ({ taskId, cacheStatus, status: 0, hash: taskId });
const bad = (taskId: string): RunRecord => ({ taskId, cacheStatus: 'cache-miss', status: 1, hash: taskId });
const runs = (...records: RunRecord[]) => new Map(records.map((r) => [r.taskId, r]));

const ORACLE_OUTPUT = [
  'Syncing Oracle Instant Client zips from https://download.oracle.com/otn_software/linux/instantclient/ into external-packages/oracle',
  '✖ oracle:sync: cannot reach https://download.oracle.com/otn_software/linux/instantclient/instantclient-basic-linuxx64.zip (ENOTFOUND); run: npx nx run oracle:sync --baseUrl=<mirror>',
].join('\n');
const FULL_OUTPUT = '✖ docker-ubuntu24:build-full: no Oracle Instant Client zips for the full image: instantclient-basic-linux-x64.zip missing in external-packages/oracle; run: npx nx run oracle:sync\n';
const BUILDX_OUTPUT = [
  '#2 ERROR: failed to do request: Head "https://registry-1.docker.io/v2/library/amazonlinux/manifests/2023": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host',
  'ERROR: failed to solve: amazonlinux:2023: failed to resolve source metadata for docker.io/library/amazonlinux:2023: failed to do request: Head "https://registry-1.docker.io/v2/library/amazonlinux/manifests/2023": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host',
  '✖ builder-amzn2023-py3.13:build: docker buildx build of amzn2023-py3.13 failed (exit code 1): docker buildx build --push --pull --platform=linux/amd64,linux/arm64 --provenance=false -f etc/builders/amzn2023-py3.13.Dockerfile .',
].join('\n');
const CFN_OUTPUT = 'some output\n\x1b[31m✖ cfn:build: packages/cfn/lava-common.cfn.json:12: Unexpected token; run: fix the JSON at that line\x1b[0m\n';

describe('failureFrom', () => {
  it('takes the problem and the fix from the executor line, without the task prefix or ANSI codes', () => {
    expect(failureFrom(CFN_OUTPUT)).toEqual({ why: 'packages/cfn/lava-common.cfn.json:12: Unexpected token', fix: 'fix the JSON at that line', unreachable: false });
  });
  it('blames the outside world for a name that does not resolve', () => {
    expect(failureFrom(ORACLE_OUTPUT)).toMatchObject({ unreachable: true, fix: 'npx nx run oracle:sync --baseUrl=<mirror>' });
  });
  it('turns a buildx pull failure into the base image it could not pull, without the command line', () => {
    const f = failureFrom(BUILDX_OUTPUT);
    expect(f.unreachable).toBe(true);
    expect(f.why).toBe('cannot pull the base image docker.io/library/amazonlinux:2023 from registry-1.docker.io (no such host)');
    expect(f.fix).toMatch(/^dockerd --registry-mirror=/);
    expect(f.why).not.toContain('--platform');
  });
  it('falls back to the first error line when there is no ✖ line (a crash)', () => {
    expect(failureFrom('starting\nTypeError: x is undefined\n    at y\n').why).toBe('TypeError: x is undefined');
  });
});

describe('summarise', () => {
  const plan = [
    task('cfn:build'),
    task('cfn:doc', ['cfn:build']),
    task('oracle:sync'),
    task('docker-ubuntu24:build-base', ['registry:serve']),
    task('docker-ubuntu24:build-full', ['docker-ubuntu24:build-base']),
    task('docker-ubuntu24:build', ['docker-ubuntu24:build-base', 'docker-ubuntu24:build-full']),
    task('registry:serve', [], { continuous: true }),
    task('builder-amzn2023-py3.13:build'),
    task('lambda-stop:build', ['builder-amzn2023-py3.13:build']),
    task('jinlava:build'),
  ];
  const outputs: Record<string, string> = {
    'oracle:sync': ORACLE_OUTPUT,
    'docker-ubuntu24:build-full': FULL_OUTPUT,
    'builder-amzn2023-py3.13:build': BUILDX_OUTPUT,
  };

  it('an engine but no network: what needs the network is skipped with its cause, the rest is built, exit 0', () => {
    const rows = summarise({
      plan,
      runs: runs(ok('cfn:build'), ok('cfn:doc', 'local-cache-hit'), bad('oracle:sync'), ok('docker-ubuntu24:build-base'), bad('docker-ubuntu24:build-full'), bad('builder-amzn2023-py3.13:build')),
      outputOf: (id) => outputs[id],
    });
    const by = Object.fromEntries(rows.map((r) => [r.task, r]));
    expect(rows.map((r) => r.task)).not.toContain('registry:serve');
    expect(by['cfn:build'].outcome).toBe('built');
    expect(by['cfn:doc'].outcome).toBe('cached');
    expect(by['oracle:sync']).toMatchObject({ outcome: 'skipped', fix: 'npx nx run oracle:sync --baseUrl=<mirror>' });
    expect(by['docker-ubuntu24:build-full']).toMatchObject({ outcome: 'skipped', fix: 'npx nx run oracle:sync --baseUrl=<mirror>' });
    expect(by['docker-ubuntu24:build-full'].why).toMatch(/^needs oracle:sync: cannot reach https:\/\/download\.oracle\.com/);
    expect(by['docker-ubuntu24:build'].outcome).toBe('skipped');
    expect(by['lambda-stop:build']).toMatchObject({ outcome: 'skipped' });
    expect(by['lambda-stop:build'].why).toContain('needs builder-amzn2023-py3.13:build: ');
    expect(by['lambda-stop:build'].why).toContain('docker.io/library/amazonlinux:2023');
    expect(by['jinlava:build']).toMatchObject({ outcome: 'failed', why: 'not run: nx stopped before it (see the output above)' });
    expect(exitStatus(rows.filter((r) => r.task !== 'jinlava:build'))).toBe(0);
    expect(exitStatus(rows.filter((r) => r.task !== 'jinlava:build'), true)).toBe(3);
    expect(exitStatus(rows)).toBe(1);
  });

  it('a real failure fails, and what waits for it is not built; exit 1', () => {
    const rows = summarise({ plan: [task('cfn:build'), task('cfn:doc', ['cfn:build'])], runs: runs(bad('cfn:build')), outputOf: () => CFN_OUTPUT });
    expect(rows).toEqual([
      { task: 'cfn:build', outcome: 'failed', why: 'packages/cfn/lava-common.cfn.json:12: Unexpected token', fix: 'fix the JSON at that line', unreachable: false },
      { task: 'cfn:doc', outcome: 'failed', why: 'needs cfn:build: packages/cfn/lava-common.cfn.json:12: Unexpected token', fix: 'fix the JSON at that line', unreachable: false },
    ]);
    expect(exitStatus(rows)).toBe(1);
  });

  it('tasks left out for want of an engine are skipped with the command that gets one', () => {
    const excluded = new Map([['lambda-stop:build', { why: 'no docker engine', fix: 'engine up' }]]);
    const rows = summarise({ plan: [task('lambda-stop:build')], runs: runs(), excluded, outputOf: () => undefined });
    expect(rows).toEqual([{ task: 'lambda-stop:build', outcome: 'skipped', why: 'no docker engine', fix: 'engine up', unreachable: true }]);
    expect(exitStatus(rows)).toBe(0);
  });
});

describe('renderSummary', () => {
  it('lists failures first and ends with the totals line', () => {
    const text = renderSummary([
      { task: 'cfn:build', outcome: 'built' },
      { task: 'jinlava:build', outcome: 'cached' },
      { task: 'oracle:sync', outcome: 'skipped', why: 'cannot reach x (ENOTFOUND)', fix: 'npx nx run oracle:sync --baseUrl=<mirror>' },
      { task: 'docs:build', outcome: 'failed', why: 'mkdocs failed' },
    ]);
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('Build summary');
    expect(lines[1]).toMatch(/^✖ failed +docs:build +mkdocs failed$/);
    expect(lines[2]).toMatch(/^⚠ skipped +oracle:sync +cannot reach x \(ENOTFOUND\); run: npx nx run oracle:sync --baseUrl=<mirror>$/);
    expect(lines.at(-1)).toBe('1 built, 1 restored from cache, 1 skipped, 1 failed');
    expect(text).not.toMatch(/\x1b\[/);
  });
});

describe('Nx files', () => {
  it('reads the plan from an nx --graph answer', () => {
    const graph = {
      graph: { nodes: { 'lambda-stop': { data: { tags: ['type:lambda'] } } } },
      tasks: {
        tasks: { 'lambda-stop:build': { target: { project: 'lambda-stop', target: 'build' } }, 'registry:serve': { target: { project: 'registry', target: 'serve' }, continuous: true } },
        dependencies: { 'lambda-stop:build': [{ id: 'builder-amzn2023-py3.13:build' }] },
      },
    };
    expect(planFromGraph(graph)).toEqual([
      { id: 'lambda-stop:build', project: 'lambda-stop', target: 'build', deps: ['builder-amzn2023-py3.13:build'], continuous: false, tags: ['type:lambda'] },
      { id: 'registry:serve', project: 'registry', target: 'serve', deps: [], continuous: true, tags: [] },
    ]);
    expect(() => planFromGraph({}, '.nx/build-plan.json')).toThrow(/^\.nx\/build-plan\.json has no tasks\.tasks/);
  });
  it('asks a run for its plan through a request file, and reads back what it wrote as a --graph answer', () => {
    const root = tempDir();
    const output = join(root, '.nx', 'build-plan.json');
    expect(readBuildPlanRequest(root)).toBeUndefined();
    const withdraw = requestBuildPlan(root, { targets: ['build', 'doc'], output });
    expect(readBuildPlanRequest(root)).toEqual({ targets: ['build', 'doc'], output });
    writeBuildPlan(
      output,
      { 'lambda-stop': { data: { tags: ['type:lambda'], root: 'packages/lambda/stop' } as never } },
      { tasks: { 'lambda-stop:build': { target: { project: 'lambda-stop', target: 'build' } } }, dependencies: { 'lambda-stop:build': [] } },
    );
    expect(planFromGraph(JSON.parse(readFileSync(output, 'utf8')))).toEqual([
      { id: 'lambda-stop:build', project: 'lambda-stop', target: 'build', deps: [], continuous: false, tags: ['type:lambda'] },
    ]);
    withdraw();
    expect(readBuildPlanRequest(root)).toBeUndefined();
  });

  it('ignores a run.json left by an earlier command', () => {
    const file = { run: { command: 'nx run x', startTime: '2026-01-01T10:00:00.000Z', endTime: '' }, tasks: [ok('cfn:build')] };
    expect(runRecords(file, new Date('2026-01-01T09:59:59Z')).size).toBe(1);
    expect(runRecords(file, new Date('2026-01-01T10:05:00Z')).size).toBe(0);
    expect(runRecords(undefined, new Date()).size).toBe(0);
  });
});
