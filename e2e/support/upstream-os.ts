// The FAKE Debian OS of e2e/fixtures/upstream-os added to the adopted real tree's docker/os, and
// FAKE Oracle zips for its full image: shared by the staging test (upstream-images.spec.ts) and
// the engine test (upstream-images.docker.spec.ts).
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fakeInstantClientZip } from '../../tools/executors/src/testing/fake-instant-client';
import { WORKSPACE_ROOT, type TempWorkspace } from './workspace';

export const OS = 'fakeupstream13'; // its own repositories: the stand-in image test pushes lava/fakedebian13/*
export const D = 'packages/docker';

/** Adds the fake OS to the adopted docker/os, linking the real common scripts in as the real OS folders do. */
export function addFakeOs(ws: TempWorkspace): void {
  const target = ws.path(D, 'os', OS);
  cpSync(join(WORKSPACE_ROOT, 'e2e/fixtures/upstream-os', OS), target, { recursive: true });
  for (const [link, to] of [
    ['base/base-50-install-lava.sh', '../../../common/base/base-50-install-lava.sh'],
    ['base/utils.sh', '../../../common/utils.sh'],
    ['base/config.sh', '../../../common/config.sh'],
    ['full/full-20-oracle.sh', '../../../common/full/full-20-oracle.sh'],
    ['full/utils.sh', '../../../common/utils.sh'],
    ['full/config.sh', '../../../common/config.sh'],
  ]) symlinkSync(to, join(target, link));
}

/** FAKE Instant Client zips where oracle:sync would put them (the real packages/ links point there). */
export async function fakeOracleZips(ws: TempWorkspace): Promise<void> {
  const dir = ws.path('external-packages/oracle');
  mkdirSync(dir, { recursive: true });
  for (const type of ['basiclite', 'sqlplus']) {
    for (const arch of ['x64', 'arm64']) writeFileSync(join(dir, `instantclient-${type}-linux-${arch}.zip`), await fakeInstantClientZip(type, '23.8'));
  }
}
