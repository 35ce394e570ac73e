import { describe, expect, it } from 'vitest';
import { diffManifests, formatChange, nodeKind, protectOptions, type InputManifest } from './manifest';

const PROJECTS = new Set(['lambda-stop', 'registry']);

function manifest(overrides: Partial<InputManifest> = {}): InputManifest {
  return {
    task: 'lambda-stop:build',
    hash: '1',
    origin: 'local',
    at: '2026-11-30T12:00:00.000Z',
    command: 'c1',
    nodes: {
      'lambda-stop:packages/lambda/stop/**/*': 'f1',
      'workspace:[{workspaceRoot}/packages/lava/lava/VERSION.json]': 'v1',
      'env:PIP_INDEX_URL': 'e1',
      'runtime:python3 --version': 'r1',
      '**/image.digest:dist/builders/amzn2023-py3.13': 'd1',
      'lambda-stop:ProjectConfiguration': 'p1',
      AllExternalDependencies: 'x1',
    },
    files: { 'packages/lambda/stop/stop.py': 'h1', 'packages/lava/lava/VERSION.json': 'h2' },
    depOutputs: { 'dist/builders/amzn2023-py3.13/image.digest': 'o1' },
    options: { name: 'stop', platform: 'linux/arm64' },
    target: { executor: './tools/executors:lambda-bundle', outputs: ['dist/lambda/stop-8.2.0.zip'] },
    ...overrides,
  };
}

describe('nodeKind', () => {
  it.each([
    ['env:PIP_INDEX_URL', 'env'],
    ['runtime:python3 --version', 'runtime'],
    ['AllExternalDependencies', 'external'],
    ['npm:yaml', 'external'],
    ['workspace:[{workspaceRoot}/nx.json]', 'fileset'],
    ['lambda-stop:packages/lambda/stop/**/*', 'fileset'],
    ['lambda-stop:ProjectConfiguration', 'configuration'],
    ['registry:TsConfig', 'configuration'],
    ['**/image.digest:dist/builders/amzn2023-py3.13', 'dependency output'],
  ])('%s is %s', (node, kind) => {
    expect(nodeKind(node, PROJECTS)).toBe(kind);
  });
});

describe('diffManifests', () => {
  it('finds nothing between equal manifests', () => {
    expect(diffManifests(manifest(), manifest({ hash: '1' }), PROJECTS)).toEqual([]);
  });

  it('names a changed file with its old and new hash, not the fileset node it changed', () => {
    const after = manifest({
      files: { 'packages/lambda/stop/stop.py': 'h9', 'packages/lava/lava/VERSION.json': 'h2' },
      nodes: { ...manifest().nodes, 'lambda-stop:packages/lambda/stop/**/*': 'f9' },
    });
    expect(diffManifests(manifest(), after, PROJECTS)).toEqual([{ kind: 'file', name: 'packages/lambda/stop/stop.py', before: 'h1', after: 'h9', change: 'changed' }]);
  });

  it('names added and removed files', () => {
    const after = manifest({ files: { 'packages/lambda/stop/stop.py': 'h1', 'packages/lambda/stop/new.py': 'h3' } });
    expect(diffManifests(manifest(), after, PROJECTS).map((c) => [c.name, c.change])).toEqual([
      ['packages/lambda/stop/new.py', 'added'],
      ['packages/lava/lava/VERSION.json', 'removed'],
    ]);
  });

  it('names an environment input by name only, with no hash', () => {
    const [change] = diffManifests(manifest(), manifest({ nodes: { ...manifest().nodes, 'env:PIP_INDEX_URL': 'e2' } }), PROJECTS);
    expect(change).toEqual({ kind: 'env', name: 'PIP_INDEX_URL', change: 'changed' });
    expect(formatChange(change)).toBe('  env                   PIP_INDEX_URL (changed; value not shown)');
  });

  it('names a runtime input by its command', () => {
    const changes = diffManifests(manifest(), manifest({ nodes: { ...manifest().nodes, 'runtime:python3 --version': 'r2' } }), PROJECTS);
    expect(changes).toEqual([{ kind: 'runtime', name: 'python3 --version', before: 'r1', after: 'r2', change: 'changed' }]);
  });

  it('names a dependency output file, and its node only when no file explains it', () => {
    const nodes = { ...manifest().nodes, '**/image.digest:dist/builders/amzn2023-py3.13': 'd2' };
    const withFile = diffManifests(manifest(), manifest({ nodes, depOutputs: { 'dist/builders/amzn2023-py3.13/image.digest': 'o2' } }), PROJECTS);
    expect(withFile).toEqual([{ kind: 'dependency output', name: 'dist/builders/amzn2023-py3.13/image.digest', before: 'o1', after: 'o2', change: 'changed' }]);
    const nodeOnly = diffManifests(manifest(), manifest({ nodes }), PROJECTS);
    expect(nodeOnly.map((c) => [c.kind, c.name])).toEqual([['dependency output', '**/image.digest:dist/builders/amzn2023-py3.13']]);
  });

  it('names changed options and target fields instead of the project configuration they changed', () => {
    const nodes = { ...manifest().nodes, 'lambda-stop:ProjectConfiguration': 'p2' };
    const options = diffManifests(manifest(), manifest({ nodes, options: { name: 'stop', platform: 'linux/amd64' } }), PROJECTS);
    expect(options).toEqual([{ kind: 'option', name: 'platform', before: '"linux/arm64"', after: '"linux/amd64"', change: 'changed' }]);
    const target = diffManifests(manifest(), manifest({ nodes, target: { ...manifest().target, outputs: ['dist/lambda/stop-8.2.1.zip'] } }), PROJECTS);
    expect(target.map(formatChange)).toEqual(['  target                outputs  ["dist/lambda/stop-8.2.0.zip"] → ["dist/lambda/stop-8.2.1.zip"]']);
    const neither = diffManifests(manifest(), manifest({ nodes }), PROJECTS);
    expect(neither.map((c) => [c.kind, c.name])).toEqual([['configuration', 'lambda-stop:ProjectConfiguration']]);
  });

  it('names nested options by their path', () => {
    const changes = diffManifests(manifest({ options: { env: { A: '1' } } }), manifest({ options: { env: { A: '2', B: '3' } } }), PROJECTS);
    expect(changes.map((c) => [c.name, c.change])).toEqual([
      ['env.A', 'changed'],
      ['env.B', 'added'],
    ]);
  });

  it('names external packages and the command line last', () => {
    const changes = diffManifests(manifest(), manifest({ command: 'c2', nodes: { ...manifest().nodes, AllExternalDependencies: 'x2' } }), PROJECTS);
    expect(changes.map((c) => c.kind)).toEqual(['external', 'command']);
  });

  it('reads a manifest without a target definition (an older record) without naming every field', () => {
    const { target: _, ...older } = manifest();
    expect(diffManifests(older as InputManifest, manifest(), PROJECTS)).toEqual([]);
  });
});

describe('protectOptions', () => {
  const URL = 'https://user:secret@host/simple';

  it('keeps plain values', () => {
    expect(protectOptions({ name: 'stop', n: 3, flags: ['a'], nested: { platform: 'linux/arm64' } })).toEqual({
      name: 'stop',
      n: 3,
      flags: ['a'],
      nested: { platform: 'linux/arm64' },
    });
  });

  it('redacts URL credentials and fingerprints the value, so a change still shows', () => {
    const once = protectOptions({ indexUrl: URL, more: [URL] });
    expect(JSON.stringify(once)).not.toContain('secret');
    expect(once.indexUrl).toMatch(/^https:\/\/\*\*\*@host\/simple \*\*\* \(sha256 [0-9a-f]{16}\)$/);
    expect(protectOptions({ indexUrl: 'https://user:other@host/simple' }).indexUrl).not.toBe(once.indexUrl);
  });

  it('fingerprints every value under a credential-like key', () => {
    const out = protectOptions({ password: 'hunter22', apiKey: 'k-123456', nested: { token: { value: 'abcdef' } }, passwordless: '' });
    expect(JSON.stringify(out)).not.toMatch(/hunter22|k-123456|abcdef/);
    expect(out.password).toMatch(/^\*\*\* \(sha256 [0-9a-f]{16}\)$/);
    expect(out.passwordless).toBe('');
  });

  it('prints no secret in a formatted option change', () => {
    const before = manifest({ options: protectOptions({ indexUrl: URL }) });
    const after = manifest({ options: protectOptions({ indexUrl: 'https://user:secret2@host/simple' }) });
    const lines = diffManifests(before, after, PROJECTS).map(formatChange);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('secret');
  });
});
