// jinlava:publish (make pypi) through nx, against a real pypiserver on 127.0.0.1:
// the sdist the build made is what lands there, the token never reaches nx's
// output, and a second publish of the same version is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPypiServer, type PypiServer } from '../tools/executors/src/testing/pypiserver';
import { adoptedWorkspace, upstreamSkipReason } from './support/upstream';
import { copyWorkspace, WORKSPACE_ROOT, type TempWorkspace } from './support/workspace';

const TOKEN = 'pypi-e2e-s3cret-token-9876543210';

function publishTwice(ws: TempWorkspace, server: PypiServer, version: string): void {
  const env = { TWINE_REPOSITORY_URL: server.url, TWINE_PASSWORD: TOKEN, SOURCE_DATE_EPOCH: '1700000000' };
  const first = ws.nx(['run', 'jinlava:publish', '--outputStyle=stream'], env);
  expect(first.exitCode, first.output).toBe(0);
  expect(first.output).toContain(`Published jinlava-${version}.tar.gz to ${server.url}.`);
  expect(server.files()).toEqual([`jinlava-${version}.tar.gz`]);
  const again = ws.nx(['run', 'jinlava:publish', '--outputStyle=stream'], env);
  expect(again.exitCode).not.toBe(0);
  expect(again.output).toContain(`✖ jinlava:publish: jinlava ${version} is already on ${server.url}simple/; an index never takes a version twice; run: raise the version in lava/VERSION.json`);
  expect(first.output + again.output).not.toContain(TOKEN);
}

describe('jinlava:publish on the stand-in', () => {
  let ws: TempWorkspace;
  let server: PypiServer;
  beforeAll(async () => {
    ws = copyWorkspace({ prefix: 'lava-publish' });
    server = await startPypiServer(WORKSPACE_ROOT);
  });
  afterAll(async () => {
    await server?.stop();
    ws?.remove();
  });

  it('builds the sdist, uploads it with the token from the environment, and refuses the same version again', () => {
    const version = JSON.parse(require('node:fs').readFileSync(ws.path('packages/lava/lava/VERSION.json'), 'utf8')).__version_num__;
    publishTwice(ws, server, version);
  });
});

const skip = upstreamSkipReason();

describe.skipIf(skip)('jinlava:publish on the real lava tree', () => {
  let ws: TempWorkspace;
  let server: PypiServer;
  beforeAll(async () => {
    ws = adoptedWorkspace({ prefix: 'lava-upstream-publish' });
    server = await startPypiServer(WORKSPACE_ROOT);
  });
  afterAll(async () => {
    await server?.stop();
    ws?.remove();
  });

  it('uploads the real jinlava-8.2.0 sdist once, and refuses it the second time', () => {
    publishTwice(ws, server, '8.2.0');
  });
});
