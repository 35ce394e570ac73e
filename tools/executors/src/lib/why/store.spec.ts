import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp-dir';
import type { InputManifest } from './manifest';
import { hasManifest, pruneManifests, readLastRun, readManifest, recordLastRun, recordManifest, whyStoreDir } from './store';

function manifest(hash: string, at: string): InputManifest {
  return { task: 'cfn:build', hash, origin: 'local', at, command: 'c', nodes: {}, files: {}, depOutputs: {}, options: {}, target: {} };
}

describe('the why store', () => {
  it('keeps the manifest of a hash through local hits, and replaces it when a run or a restore makes the entry anew', () => {
    const store = whyStoreDir(tempDir());
    recordManifest(store, manifest('123', '2026-01-01T00:00:00.000Z'), { replace: false });
    recordManifest(store, manifest('123', '2026-02-02T00:00:00.000Z'), { replace: false });
    expect(readManifest(store, '123')).toEqual(manifest('123', '2026-01-01T00:00:00.000Z'));
    recordManifest(store, { ...manifest('123', '2026-03-03T00:00:00.000Z'), origin: 'remote' }, { replace: true });
    expect(readManifest(store, '123')).toEqual({ ...manifest('123', '2026-03-03T00:00:00.000Z'), origin: 'remote' });
    expect(readManifest(store, '456')).toBeUndefined();
  });

  it('keeps the last run of each task, under a file name safe for any task id', () => {
    const data = tempDir();
    const store = whyStoreDir(data);
    recordLastRun(store, 'worker-bundle:pkg--amzn2023-py3.13-arm64', { hash: '1', status: 'ran', at: 'a' });
    recordLastRun(store, 'worker-bundle:pkg--amzn2023-py3.13-arm64', { hash: '2', status: 'remote', at: 'b' });
    expect(readLastRun(store, 'worker-bundle:pkg--amzn2023-py3.13-arm64')).toEqual({ hash: '2', status: 'remote', at: 'b' });
    expect(readLastRun(store, 'cfn:build')).toBeUndefined();
    expect(readdirSync(join(data, 'lava-why', 'tasks'))).toEqual(['worker-bundle%3Apkg--amzn2023-py3.13-arm64.json']);
  });

  it('writes nothing when a run repeats the hash and status of the last one (a no-op), and says whether it wrote', () => {
    const store = whyStoreDir(tempDir());
    expect(recordLastRun(store, 'cfn:build', { hash: '1', status: 'ran', at: 'a' })).toBe(true);
    expect(recordLastRun(store, 'cfn:build', { hash: '1', status: 'local', at: 'b' })).toBe(true);
    expect(recordLastRun(store, 'cfn:build', { hash: '1', status: 'local', at: 'c' })).toBe(false);
    expect(readLastRun(store, 'cfn:build')).toEqual({ hash: '1', status: 'local', at: 'b' });
    expect(hasManifest(store, '1')).toBe(false);
    recordManifest(store, manifest('1', 'a'), { replace: false });
    expect(hasManifest(store, '1')).toBe(true);
  });

  it('refuses a hash that is not one (it names a file)', () => {
    expect(() => readManifest(whyStoreDir(tempDir()), '../x')).toThrow('not a task hash: "../x"');
  });

  it("prunes the manifests of hashes that are neither a cache entry nor a task's last run", () => {
    const store = whyStoreDir(tempDir());
    for (const hash of ['1', '2', '3']) recordManifest(store, manifest(hash, 'a'), { replace: true });
    recordLastRun(store, 'cfn:build', { hash: '1', status: 'ran', at: 'a' });
    pruneManifests(store, (hash) => hash === '2');
    expect(readdirSync(join(store, 'manifests')).sort()).toEqual(['1.json', '2.json']);
  });

  it('prunes nothing in a store not made yet', () => {
    expect(() => pruneManifests(whyStoreDir(tempDir()), () => false)).not.toThrow();
  });
});
