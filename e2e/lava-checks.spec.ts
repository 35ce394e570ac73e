// lava's make check as nx lint targets, in a throwaway copy of the workspace:
// on our stand-ins (clean, cached, selected by nx affected per folder, a
// finding named by file and line) and on the real tree adopted (what its own
// configuration finds there, one line each).
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adoptedWorkspace, upstreamSkipReason } from './support/upstream';
import { cacheStatus, copyWorkspace, type TempWorkspace } from './support/workspace';

const LINTS = ['docker-amzn2023', 'docker-ubuntu24', 'lambda-dispatch', 'lambda-metrics', 'lambda-s3trigger', 'lambda-stop', 'worker-bundle'].map((p) => `${p}:lint`);

describe('lint and test on the stand-ins', () => {
  let ws: TempWorkspace;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ws.root, stdio: 'pipe' }).toString();
  beforeAll(() => {
    ws = copyWorkspace({ git: true, prefix: 'lava-lint' });
  });
  afterAll(() => ws?.remove());

  /** The lint tasks `nx affected` selects for one committed change (the commit is dropped again). */
  function affectedBy(edit: () => void): string[] {
    edit();
    git('add', '-A');
    git('commit', '-q', '-m', 'change under test');
    try {
      const run = ws.nx(['affected', '-t', 'lint', '--base=HEAD~1', '--head=HEAD', '--explain=stdout']);
      expect(run.exitCode, run.output).toBe(0);
      return Object.keys(JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))).affected).sort();
    } finally {
      git('reset', '-q', '--hard', 'HEAD~1');
    }
  }

  it('every lint passes, says what it checked, and is a cache hit the second time', () => {
    const first = ws.nx(['run-many', '-t', 'lint', '--outputStyle=stream']);
    expect(first.exitCode, first.output).toBe(0);
    expect(first.output).toMatch(/worker-bundle: Checks: \d+ Python, \d+ shell, \d+ YAML files, no findings \(ruff, flake8, shellcheck, yamllint\)\./);
    expect(first.output).toContain('lambda-stop: Checks: 1 Python, 0 shell, 0 YAML files, no findings (ruff, flake8).');
    expect(first.output).toMatch(/docker-amzn2023: Checks: 0 Python, \d+ shell, 0 YAML files, no findings \(shellcheck\)\./);
    const second = ws.nx(['run-many', '-t', 'lint']);
    expect(second.exitCode, second.output).toBe(0);
    for (const task of LINTS) expect(cacheStatus(second.output, task), task).toBe('local');
  });

  it('nx affected -t lint selects the lint of the folder a commit touched, and the root one for shared scripts', () => {
    expect(affectedBy(() => appendFileSync(ws.path('packages/lambda/stop/stop.py'), '\n# touched\n'))).toEqual(['lambda-stop:lint']);
    expect(affectedBy(() => appendFileSync(ws.path('packages/docker/os/ubuntu24/base/base-00-build'), '\n# touched\n'))).toEqual(['docker-ubuntu24:lint']);
    // The OS scripts source docker/common; the root lint checks it (no OS folder owns it).
    expect(affectedBy(() => appendFileSync(ws.path('packages/docker/common/config.sh'), '\n# touched\n'))).toEqual(
      ['docker-amzn2023:lint', 'docker-ubuntu24:lint', 'worker-bundle:lint'],
    );
    expect(affectedBy(() => appendFileSync(ws.path('packages/lava/.flake8'), '\n# touched\n'))).toEqual(LINTS.filter((t) => !t.startsWith('docker')).concat(['docker-amzn2023:lint', 'docker-ubuntu24:lint']).sort());
    expect(affectedBy(() => appendFileSync(ws.path('packages/cfn/README.md'), '\n touched\n'))).toEqual([]);
  });

  it("worker-bundle:test runs the stand-in's tests (one process: too few files for xdist), cached; coverage writes dist/test/htmlcov", () => {
    const run = ws.nx(['run', 'worker-bundle:test', '--outputStyle=stream']);
    expect(run.exitCode, run.output).toBe(0);
    expect(run.output).toContain('2 test files, one process.');
    expect(run.output).toMatch(/8 passed/);
    expect(cacheStatus(ws.nx(['run', 'worker-bundle:test']).output, 'worker-bundle:test')).toBe('local');
    const cov = ws.nx(['run', 'worker-bundle:test', '--configuration=coverage', '--outputStyle=stream']);
    expect(cov.exitCode, cov.output).toBe(0);
    expect(cov.output).toContain('Coverage report: dist/test/htmlcov/index.html');
    expect(existsSync(ws.path('dist/test/htmlcov/index.html'))).toBe(true);
    expect(existsSync(ws.path('packages/lava/.coverage'))).toBe(false);
  });

  it('a finding fails the lint with file:line: CODE message [tool], and nothing is cached', () => {
    writeFileSync(ws.path('packages/lambda/stop/extra.py'), 'import os\n');
    try {
      const run = ws.nx(['run', 'lambda-stop:lint']);
      expect(run.exitCode).not.toBe(0);
      expect(run.output).toContain('packages/lambda/stop/extra.py:1: F401 `os` imported but unused [ruff]');
      expect(run.output).toContain("packages/lambda/stop/extra.py:1: F401 'os' imported but unused [flake8]");
      expect(run.output).toContain('✖ lambda-stop:lint: 2 findings (ruff 1, flake8 1) in 1 file among 2 Python, 0 shell, 0 YAML files; run: fix them');
      const again = ws.nx(['run', 'lambda-stop:lint']);
      expect(cacheStatus(again.output, 'lambda-stop:lint')).toBe('miss');
    } finally {
      execFileSync('rm', ['-f', ws.path('packages/lambda/stop/extra.py')]);
    }
  });
});

const skip = upstreamSkipReason();

describe.skipIf(skip)('lint and test on the real lava tree', () => {
  let ws: TempWorkspace;
  beforeAll(() => {
    ws = adoptedWorkspace({ prefix: 'lava-upstream-lint' });
  });
  afterAll(() => ws?.remove());

  it('reports what the tree configuration finds, one line each, and fails as make check did', () => {
    const run = ws.nx(['run-many', '-t', 'lint', '--outputStyle=stream']);
    expect(run.exitCode).not.toBe(0);
    const findings = run.output.split('\n').filter((l) => /\[(ruff|flake8|shellcheck|yamllint)\]$/.test(l));
    // ruff's ICN001 (the tree selects ICN) and black 26's view of four lines (flake8-black);
    // no shellcheck finding in 104 scripts, no yamllint finding (schema aliases are links: checked where they point).
    expect(findings).toEqual([
      'worker-bundle: packages/ami/resources/local/bin/awslog:46: ICN001 `datetime` should be imported as `dt` [ruff]',
      'worker-bundle: packages/lava/lava/lib/datetime.py:5: ICN001 `datetime` should be imported as `dt` [ruff]',
      'worker-bundle: packages/lava/lava/lib/sharepoint.py:17: ICN001 `datetime` should be imported as `dt` [ruff]',
      'worker-bundle: packages/lava/lava/connection/core.py:147: BLK100 Black would make changes. [flake8]',
      'worker-bundle: packages/lava/lava/connection/oracle.py:133: BLK100 Black would make changes. [flake8]',
      'worker-bundle: packages/lava/lava/lavacore.py:167: BLK100 Black would make changes. [flake8]',
      'worker-bundle: packages/lava/lava/lib/db.py:373: BLK100 Black would make changes. [flake8]',
    ]);
    expect(run.output).toContain(
      "✖ worker-bundle:lint: 7 findings (ruff 3, flake8 4) in 7 files among 115 Python, 90 shell, 119 YAML files; run: fix them (packages/lava's .flake8, pyproject.toml and .yamllint.yaml say what is checked)",
    );
    // flake8's exclude (ami/resources/local/bin) still applies where adoption moved ami/ to.
    expect(findings.join('\n')).not.toMatch(/awslog.*\[flake8\]/);
    for (const os of ['amzn2023', 'ubuntu24']) expect(run.output).toContain(`docker-${os}: Checks: 0 Python, 7 shell, 0 YAML files, no findings (shellcheck).`);
    expect(run.output).toContain('lambda-s3trigger: Checks: 2 Python, 0 shell, 0 YAML files, no findings (ruff, flake8).');
  });

  it("freeze re-creates make's pinned requirement files byte for byte (each pin still resolves), for the root and every Lambda", () => {
    const run = ws.nx(['run-many', '-t', 'freeze', '--outputStyle=stream']);
    expect(run.exitCode, run.output).toBe(0);
    expect(run.output).toMatch(/packages\/lava\/requirements\.txt: unchanged \(from requirements\.in, Python 3\.\d+\)/);
    expect(run.output).toMatch(/packages\/lava\/requirements-extra\.txt: unchanged \(from requirements-extra\.in, Python 3\.\d+\)/);
    for (const lambda of ['dispatch', 'metrics', 's3trigger', 'stop']) {
      expect(run.output).toContain(`packages/lambda/${lambda}/requirements.txt: unchanged (from requirements.in, Python 3.13)`);
    }
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: ws.root }).toString()).toBe('');
    // A new bare name is pinned in make's format; nothing else moves.
    appendFileSync(ws.path('packages/lambda/stop/requirements.in'), 'six\n');
    const added = ws.nx(['run', 'lambda-stop:freeze']);
    expect(added.exitCode, added.output).toBe(0);
    const diff = execFileSync('git', ['diff', '-U0', '--', 'packages/lambda/stop/requirements.txt'], { cwd: ws.root }).toString();
    expect(diff.split('\n').filter((l) => /^[-+][^-+]/.test(l))).toEqual([expect.stringMatching(/^\+six==\d+\.\d+\.\d+$/)]);
    execFileSync('git', ['checkout', '--', 'packages'], { cwd: ws.root });
  });

  it('worker-bundle:test says the tree has no tests and succeeds, as make test did', () => {
    const run = ws.nx(['run', 'worker-bundle:test', '--outputStyle=stream']);
    expect(run.exitCode, run.output).toBe(0);
    expect(run.output).toContain('worker-bundle: no tests: the tree has no test/ folder.');
  });
});
