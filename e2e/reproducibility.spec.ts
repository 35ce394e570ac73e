// reproducibility:verify (./build.sh verify) on a temp copy of this workspace committed to git:
// a subset of the artefacts built twice in two clones is reported identical, hash by hash; a
// fixture project whose archive holds the path it was built at is reported with the member and
// byte where the two builds part.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifyReport } from '../tools/executors/src/lib/verify/report';
import { copyWorkspace, type TempWorkspace } from './support/workspace';

const verifyDirs = () => new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('lava-verify-')));

let ws: TempWorkspace;
beforeAll(() => {
  ws = copyWorkspace({ git: true, prefix: 'lava-verify-ws' });
});
afterAll(() => ws?.remove());

function report(): VerifyReport {
  return JSON.parse(readFileSync(ws.path('dist/reproducibility/report.json'), 'utf8')) as VerifyReport;
}

describe('reproducibility:verify', () => {
  it('builds cfn, the job framework and the jinlava sdist twice and reports each artefact with equal hashes', () => {
    const before = verifyDirs();
    const result = ws.nx(['run', 'reproducibility:verify', '--projects=cfn,job-framework,jinlava']);
    expect(result.exitCode, result.output).toBe(0);
    const r = report();
    expect(r.artefacts.map((a) => a.path)).toEqual([
      'dist/cfn/lava-common.cfn.json',
      'dist/cfn/lava-realm.cfn.json',
      'dist/cfn/lava-worker.cfn.json',
      'dist/dev-tools/lava-job-framework-8.2.0.zip',
      'dist/jinlava/jinlava-8.2.0.tar.gz',
    ]);
    for (const a of r.artefacts) {
      expect(a.verdict, a.path).toBe('identical');
      expect(a.a).toMatch(/^[0-9a-f]{64}$/);
      expect(a.b).toBe(a.a);
      expect(result.output).toContain(`identical  ${a.a}  ${a.path}`);
    }
    // Two clones of the committed tree that differ in path, umask and source times.
    const [first, second] = r.builds;
    expect(first.root).not.toBe(second.root);
    expect([first.umask, second.umask]).toEqual([0o022, 0o077]);
    expect(second.sourcesTime).toBe('2001-02-03T04:05:06.000Z');
    expect(second.timezone).toBe('Etc/GMT-14');
    expect(r.dirty).toBe(false);
    expect(r.commit).toBe(execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ws.root, encoding: 'utf8' }).trim());
    expect(result.output).toMatch(/\n5 identical, 0 differ, 0 missing, 0 skipped\n/);
    // The clones are gone.
    expect([...verifyDirs()].filter((d) => !before.has(d))).toEqual([]);
  });

  it('names the first differing member and byte of an archive that holds the path it was built at', () => {
    // A fixture project whose tar.gz is deterministic in every way but one: where.txt holds the
    // build's working directory, the classic leak of a build's path into its output.
    const dir = ws.path('packages/drift');
    mkdirSync(dir, { recursive: true });
    const command = [
      'rm -rf dist/drift && mkdir -p dist/drift/src',
      "printf 'same in both\\n' > dist/drift/src/a.txt",
      'pwd > dist/drift/src/where.txt',
      'tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --mode=go=rX,u+rw -C dist/drift/src -cf - a.txt where.txt | gzip -n > dist/drift/drift.tar.gz',
      'rm -rf dist/drift/src',
    ].join(' && ');
    writeFileSync(
      join(dir, 'project.json'),
      JSON.stringify({
        name: 'drift',
        root: 'packages/drift',
        targets: { build: { executor: 'nx:run-commands', cache: true, outputs: ['{workspaceRoot}/dist/drift/drift.tar.gz'], options: { command, cwd: '{workspaceRoot}' } } },
      }),
    );
    execFileSync('git', ['add', '-A'], { cwd: ws.root });
    execFileSync('git', ['commit', '-q', '-m', 'a project whose archive is not reproducible'], { cwd: ws.root });

    const result = ws.nx(['run', 'reproducibility:verify', '--projects=drift,job-framework']);
    expect(result.exitCode, result.output).not.toBe(0);
    const r = report();
    const [a, b] = r.builds.map((build) => build.root);
    let common = 0;
    while (a[common] === b[common]) common++;
    const drift = r.artefacts.find((x) => x.path === 'dist/drift/drift.tar.gz');
    expect(drift).toMatchObject({ verdict: 'differ', task: 'drift:build', difference: { member: 'where.txt', offset: common } });
    expect(drift?.a).not.toBe(drift?.b);
    const line = `first difference: member "where.txt": content differs at byte ${common} (${a.length + 1} bytes in A, ${b.length + 1} in B)`;
    expect(result.output).toContain(line);
    expect(r.artefacts.find((x) => x.path === 'dist/dev-tools/lava-job-framework-8.2.0.zip')?.verdict).toBe('identical');
    expect(result.output).toMatch(/\n1 identical, 1 differ, 0 missing, 0 skipped\n/);
    expect(result.output).toMatch(/✖ reproducibility:verify: the two builds differ/);
    // Nothing here needs the Python tools or docker, so as root the second build runs as another
    // user, unless the temp directory itself is private to root (then the report says so).
    if (process.getuid?.() === 0) expect(r.builds[1].user).toMatch(/^user nobody \(uid \d+\)$|^same user as A \(nobody \(uid \d+\) cannot cd into /);
    expect(existsSync(ws.path('dist/reproducibility/report.txt'))).toBe(true);
    // Where diffoscope is installed, its full account is kept beside the report; else the report says it is not.
    if (spawnSync('sh', ['-c', 'command -v diffoscope']).status === 0) {
      expect(drift?.diffoscope).toBe('dist/reproducibility/dist_drift_drift.tar.gz.diffoscope.txt');
      expect(readFileSync(ws.path(drift?.diffoscope ?? ''), 'utf8')).toMatch(/where\.txt/);
    } else {
      expect(result.output).toMatch(/no diffoscope on PATH/);
    }
  });
});
