// `./build.sh` with an engine but without the outside network (this machine has none): what
// needs the network is skipped with its cause, the rest is built. Without an engine, and after
// kill -9: finish.spec.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildShWorkspace, summaryOf, type BuildShWorkspace } from './support/build-sh';
import { dockerUnavailable, engineEnv } from './support/docker';

let fixture: BuildShWorkspace;

beforeAll(async () => {
  fixture = await buildShWorkspace('lava-finish-engine');
});

afterAll(async () => fixture?.close());

describe('./build.sh', () => {
  it.skipIf(dockerUnavailable())('with an engine but no outside network: what needs it is skipped with its cause, the rest is there, exit 0 (3 under LAVA_BUILD_STRICT=1)', () => {
    const run = fixture.buildSh({ ...engineEnv(), LAVA_BUILD_STRICT: '1' });
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
