// The job framework on the real lava tree, adopted into a throwaway workspace:
// the zip's entries are the ones make's dev-tools recipe zips, computed here by
// running that recipe's zip command in a temp copy of the real tree, without the
// `../lava/resources/` prefix; the template's links (out of lava/ into etc/ and
// bin/) are stored as the files they reach; cookiecutter renders it.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adoptedWorkspace, UPSTREAM_LAVA, upstreamSkipReason } from './support/upstream';
import { WORKSPACE_ROOT, type TempWorkspace } from './support/workspace';

const skip = upstreamSkipReason();
const PREFIX = '../lava/resources/';
// dev-tools/Makefile's excludes, verbatim.
const EXCLUDES = ['*dist/*', '*.pyc', '*__pycache__/*', '*.swp', '*.zip', '*.tar.*', '*-info/*', '*/.DS_Store'];
// What this build keeps on purpose whatever make's zip did with it: the rendered project's Makefile runs it.
const KEPT = ['cookiecutter/{{cookiecutter.project_dir}}/bin/git-commit-info'];

/** make's zip, made as dev-tools/Makefile makes it, in a temp copy of the real tree; its entry names. */
function makeZipEntries(scratch: string): string[] {
  const tree = join(scratch, 'lava');
  for (const dir of ['lava', 'dev-tools', 'etc', 'bin']) cpSync(join(UPSTREAM_LAVA, dir), join(tree, dir), { recursive: true, verbatimSymlinks: true });
  execFileSync('chmod', ['-R', 'u+w', tree]);
  const zip = join(scratch, 'x.zip');
  writeFileSync(zip, execFileSync('zip', ['-q', '-r', '-', '../lava/resources', '--exclude', ...EXCLUDES], { cwd: join(tree, 'dev-tools'), maxBuffer: 1 << 28 }));
  const versionDir = join(scratch, 'v');
  mkdirSync(join(versionDir, 'etc'), { recursive: true });
  const full = execFileSync(join(WORKSPACE_ROOT, '.venv/bin/python'), ['../lava/version.py', '-a'], { cwd: join(tree, 'dev-tools') }).toString();
  writeFileSync(join(versionDir, 'etc/version'), full);
  execFileSync('zip', ['-q', '-u', zip, 'etc/version'], { cwd: versionDir });
  return execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n');
}

describe.skipIf(skip)('job-framework on the real lava tree', () => {
  let ws: TempWorkspace;
  let scratch: string;
  let zip: string;
  beforeAll(() => {
    ws = adoptedWorkspace({ prefix: 'lava-upstream-framework' });
    scratch = mkdtempSync(join(tmpdir(), 'upstream-framework-'));
    const version = JSON.parse(readFileSync(join(UPSTREAM_LAVA, 'lava/VERSION.json'), 'utf8')).__version_num__;
    zip = ws.path(`dist/dev-tools/lava-job-framework-${version}.zip`);
  });
  afterAll(() => {
    ws?.remove();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('zips the entries make zipped, without the ../lava/resources/ prefix, bin/git-commit-info included', () => {
    const run = ws.nx(['run', 'job-framework:build']);
    expect(run.exitCode, run.output).toBe(0);
    const made = makeZipEntries(scratch);
    expect(made.filter((n) => n !== 'etc/version' && !n.startsWith(PREFIX))).toEqual([]);
    const expected = [...new Set([...made.map((n) => (n.startsWith(PREFIX) ? n.slice(PREFIX.length) : n)).filter(Boolean), ...KEPT])].sort();
    const ours = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n');
    expect([...ours].sort()).toEqual(expected);
    expect(ours[0]).toBe('cookiecutter/');
    expect(ours).toContain('cookiecutter/{{cookiecutter.project_dir}}/bin/git-commit-info');
    expect(execFileSync('unzip', ['-p', zip, 'etc/version'], { encoding: 'utf8' })).toBe(
      execFileSync(join(WORKSPACE_ROOT, '.venv/bin/python'), [join(UPSTREAM_LAVA, 'lava/version.py'), '-a'], { encoding: 'utf8' }),
    );
  });

  it('stores what the template’s links out of lava/ reach: the real etc/ and bin/ files', () => {
    const stored = (name: string) => execFileSync('unzip', ['-p', zip, `cookiecutter/{{cookiecutter.project_dir}}/bin/${name}`], { encoding: 'utf8' });
    expect(stored('jinja')).toBe(readFileSync(join(UPSTREAM_LAVA, 'etc/jinja'), 'utf8'));
    expect(stored('os-type')).toBe(readFileSync(join(UPSTREAM_LAVA, 'etc/os-type.sh'), 'utf8'));
    expect(stored('lava-dump')).toBe(readFileSync(join(UPSTREAM_LAVA, 'bin/lava-dump'), 'utf8'));
  });

  it('renders with cookiecutter --no-input (the real hook requires realm, description and owner)', () => {
    const config = join(scratch, 'cookiecutter.yaml');
    writeFileSync(config, `cookiecutters_dir: ${join(scratch, 'cookiecutters')}\nreplay_dir: ${join(scratch, 'replay')}\n`);
    const out = join(scratch, 'out');
    const render = spawnSync(
      join(WORKSPACE_ROOT, '.venv/bin/cookiecutter'),
      ['--no-input', '--config-file', config, '--output-dir', out, zip, 'realm=dev', 'description=Nightly loads', 'owner=data-eng', 'project_name=nightly'],
      // cookiecutter unzips into a temp folder and removes only the template's folder of it (the
      // zip's etc/version stays), and keeps a failed hook's script: both land in scratch.
      { encoding: 'utf8', env: { ...process.env, TMPDIR: scratch } },
    );
    expect(render.status, render.stdout + render.stderr).toBe(0);
    const project = join(out, 'nightly');
    expect(readdirSync(join(project, 'bin'))).toEqual(expect.arrayContaining(['git-commit-info', 'jinja', 'lava-dump']));
    expect(readFileSync(join(project, 'etc/Makefile'), 'utf8')).toContain('git-commit-info');
    expect(readFileSync(join(project, 'bin/jinja'), 'utf8')).toBe(readFileSync(join(UPSTREAM_LAVA, 'etc/jinja'), 'utf8'));
  });
});
