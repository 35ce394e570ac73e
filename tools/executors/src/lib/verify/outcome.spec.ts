import { describe, expect, it } from 'vitest';
import type { PlannedTask, RunRecord } from '../workspace/build-summary';
import { buildOutcome } from './outcome';

const task = (id: string, deps: string[] = [], continuous = false): PlannedTask => ({ id, project: id.split(':')[0], target: id.split(':')[1], deps, continuous, tags: [] });
const record = (taskId: string, status: number): [string, RunRecord] => [taskId, { taskId, status, cacheStatus: 'cache-miss' }];

const PLAN = [
  task('registry:serve', [], true),
  task('builder-amzn2023-py3.13:build'),
  task('lambda-stop:build', ['builder-amzn2023-py3.13:build']),
  task('cfn:build'),
  task('jinlava:build'),
  task('job-framework:build'),
];
const PULL =
  '✖ builder-amzn2023-py3.13:build: docker buildx build of amzn2023-py3.13: cannot pull the base image docker.io/library/amazonlinux:2023 from registry-1.docker.io (no such host); run: dockerd --registry-mirror=<a mirror of docker.io you can reach> (README, "Without network")';

describe('buildOutcome', () => {
  it('makes a base image out of reach a skip with its fix, the tasks waiting for it included; a real failure stays one', () => {
    const records = new Map([record('registry:serve', 0), record('builder-amzn2023-py3.13:build', 1), record('cfn:build', 0), record('jinlava:build', 1), record('job-framework:build', 0)]);
    const output = `\x1b[31m${PULL}\x1b[39m\n✖ jinlava:build: python -m build failed (exit code 1): …\n`;
    const outcome = buildOutcome(PLAN, records, output);
    expect(outcome.failed).toEqual(['jinlava:build']);
    expect(outcome.skipped).toHaveLength(1);
    expect(outcome.skipped[0].tasks).toEqual(['builder-amzn2023-py3.13:build', 'lambda-stop:build']);
    expect(outcome.skipped[0].why).toMatch(/cannot pull .*amazonlinux:2023/);
    expect(outcome.skipped[0].fix).toMatch(/registry-mirror/);
  });

  it('counts a task that never ran, behind a real failure or for no known reason, as failed', () => {
    const records = new Map([record('builder-amzn2023-py3.13:build', 1)]);
    const outcome = buildOutcome(PLAN, records, '✖ builder-amzn2023-py3.13:build: Dockerfile has no FROM\n');
    expect(outcome.skipped).toEqual([]);
    expect(outcome.failed).toEqual(['builder-amzn2023-py3.13:build', 'lambda-stop:build', 'cfn:build', 'jinlava:build', 'job-framework:build']);
  });

  it('has nothing to say about a build where everything ran', () => {
    const records = new Map(PLAN.map((t) => record(t.id, 0)));
    expect(buildOutcome(PLAN, records, '')).toEqual({ failed: [], skipped: [] });
  });
});
