// The adopted real tree's docker/ folder staged exactly as make's docker/Makefile staged it:
// file lists compared with make's own cp -RL lines, for the real amzn2023 and ubuntu24 OSes and
// a FAKE Debian OS added to docker/os. Building that OS on the engine:
// upstream-images.docker.spec.ts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFiles, stageImageContext } from '../tools/executors/src/lib/images/context';
import { PLATFORMS } from '../tools/executors/src/lib/core/platform';
import { readLifecyclePolicy } from '../tools/executors/src/lib/images/ecr';
import { MAKE_IMAGE_METADATA, readImageMetadata } from '../tools/executors/src/lib/images/metadata';
import { addFakeOs, D, fakeOracleZips, OS } from './support/upstream-os';
import { adoptedWorkspace, upstreamSkipReason } from './support/upstream';
import { WORKSPACE_ROOT, type TempWorkspace } from './support/workspace';

const upstreamSkip = upstreamSkipReason();

/** make's recipe lines for one context, run by bash in the docker folder. */
function makeContext(dockerDir: string, os: string, type: 'base' | 'full', version: string): string[] {
  const tmp = mkdtempSync(join(tmpdir(), 'make-context-'));
  const lines =
    type === 'base'
      ? `cp -RL os/${os}/base/* "$TMP"; touch "$TMP/lava-${version}.tar.bz2"` // cp -L $(PKG) $TMP: the bundle, made apart
      : `cp -RL os/${os}/full/* "$TMP"; mkdir -p "$TMP/packages"; cp -RL packages "$TMP"`;
  execFileSync('bash', ['-c', `set -e; TMP=${tmp}; ${lines}`], { cwd: dockerDir });
  const files = contextFiles(tmp);
  rmSync(tmp, { recursive: true, force: true });
  return files;
}

describe.skipIf(upstreamSkip)('the adopted docker/ staged as make staged it', () => {
  let ws: TempWorkspace;
  let version: string;
  beforeAll(async () => {
    ws = adoptedWorkspace({ prefix: 'lava-upstream-images-stage' });
    addFakeOs(ws);
    await fakeOracleZips(ws);
    version = JSON.parse(readFileSync(ws.path('packages/lava/lava/VERSION.json'), 'utf8')).__version_num__;
  });
  afterAll(() => ws?.remove());

  it.each([
    ['amzn2023', 'base'],
    ['amzn2023', 'full'],
    ['ubuntu24', 'full'],
    [OS, 'base'],
    [OS, 'full'],
  ] as const)('%s %s: the same file list as make’s', async (os, type) => {
    const scratch = mkdtempSync(join(tmpdir(), 'our-context-'));
    try {
      await stageImageContext({
        workspaceRoot: ws.root, dockerRoot: D, os, type, version, workerDir: 'packages/lava', oracleDir: 'external-packages/oracle',
        platforms: PLATFORMS, into: join(scratch, 'ctx'), scratch,
      });
      const ours = contextFiles(join(scratch, 'ctx'));
      expect(ours).toEqual(makeContext(ws.path(D), os, type, version));
      if (type === 'full') expect(ours).toContain('packages/instantclient-sqlplus-linux-arm64.zip');
      if (type === 'base') expect(ours).toContain('base-50-install-lava.sh');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('its lifecycle.json is what ecr-repo sets: the stand-in’s rules, in other words', () => {
    const rules = (root: string) =>
      (JSON.parse(readLifecyclePolicy(root, D)) as { rules: { rulePriority: number; selection: unknown; action: unknown }[] }).rules.map(({ rulePriority, selection, action }) => ({ rulePriority, selection, action }));
    expect(rules(ws.root)).toEqual(rules(WORKSPACE_ROOT));
  });

  it('it has no image-metadata.json, so the images get make’s labels and push defaults: its Makefile’s, word for word', () => {
    const makefile = readFileSync(ws.path(D, 'Makefile'), 'utf8');
    const attrs = /^define IMAGE_ATTRS\n([\s\S]*?)\nendef$/m.exec(makefile)?.[1] ?? '';
    const description = (type: string) => new RegExp(`^${type}:[^\n]*\n[\\s\\S]*?DESCRIPTION="([^"]*)"`, 'm').exec(makefile)?.[1];
    const title = /--label org\.opencontainers\.image\.title="([^"]*)"/.exec(makefile)?.[1];
    const metadata = readImageMetadata(ws.root, D);
    expect(metadata).toBe(MAKE_IMAGE_METADATA);
    expect(Object.entries(metadata.labels.attributes).map(([k, v]) => `${k}=${v}`).join('\n')).toBe(attrs);
    expect(metadata.labels.description).toEqual({ base: description('base'), full: description('full') });
    expect(metadata.labels.title).toBe(title?.replace('$@', '{type}').replace('$(os)', '{os}'));
    expect(metadata.push).toEqual({ registry: /^registry=(.*)$/m.exec(makefile)?.[1], prefix: /^prefix=(.*)$/m.exec(makefile)?.[1] });
  });
});
