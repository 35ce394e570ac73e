// job-framework:build with real nx, rendered by real cookiecutter: the stand-in
// template in packages/lava/lava/resources/cookiecutter, shaped like the real one
// (links out of lava/ to the tree's etc/ and bin/, bin/git-commit-info).
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheStatus, copyWorkspace, WORKSPACE_ROOT, type TempWorkspace } from './support/workspace';

const ZIP = 'dist/dev-tools/lava-job-framework-8.2.0.zip';
const RESOURCES = 'packages/lava/lava/resources';
const PROJECT = `${RESOURCES}/cookiecutter/{{cookiecutter.project_dir}}`;

let ws: TempWorkspace;
let scratch: string;
beforeAll(() => {
  ws = copyWorkspace({ prefix: 'lava-job-framework', git: true });
  scratch = mkdtempSync(join(tmpdir(), 'job-framework-e2e-'));
});
afterAll(() => {
  ws?.remove();
  rmSync(scratch, { recursive: true, force: true });
});

const listing = () => execFileSync('unzip', ['-Z1', ws.path(ZIP)], { encoding: 'utf8' }).trim().split('\n');
const entry = (name: string) => execFileSync('unzip', ['-p', ws.path(ZIP), name], { encoding: 'utf8' });

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

function render(name: string, extra: string[] = []) {
  const config = join(scratch, 'cookiecutter.yaml');
  writeFileSync(config, `cookiecutters_dir: ${join(scratch, 'cookiecutters')}\nreplay_dir: ${join(scratch, 'replay')}\n`);
  const out = join(scratch, name);
  const run = spawnSync(
    join(WORKSPACE_ROOT, '.venv/bin/cookiecutter'),
    ['--no-input', '--config-file', config, '--output-dir', out, ws.path(ZIP), ...extra],
    // cookiecutter unzips into a temp folder and removes only the template's folder of it (the
    // zip's etc/version stays), and keeps a failed hook's script: both land in scratch.
    { encoding: 'utf8', env: { ...process.env, TMPDIR: scratch } },
  );
  return { run, out };
}

describe('job-framework:build', () => {
  it('zips lava/resources as make did, entries relative (no ../), bin/git-commit-info kept, links resolved, plus etc/version', () => {
    const run = ws.nx(['run', 'job-framework:build']);
    expect(run.exitCode, run.output).toBe(0);
    const names = listing();
    expect(names[0]).toBe('cookiecutter/');
    expect(names).toEqual(
      expect.arrayContaining([
        'cookiecutter/cookiecutter.json',
        'cookiecutter/hooks/pre_gen_project.py',
        'cookiecutter/{{cookiecutter.project_dir}}/bin/git-commit-info',
        'cookiecutter/{{cookiecutter.project_dir}}/bin/yaml2json',
        'cookiecutter/{{cookiecutter.project_dir}}/bin/lava-version',
        'etc/version',
      ]),
    );
    expect(names.filter((n) => n.startsWith('/') || n.split('/').includes('..'))).toEqual([]);
    expect(entry('etc/version')).toBe('8.2.0 (Kilauea)\n');
    // A link out of lava/ is stored as the file it points to.
    expect(entry('cookiecutter/{{cookiecutter.project_dir}}/bin/yaml2json')).toBe(readFileSync(ws.path('packages/lava/etc/yaml2json'), 'utf8'));
    expect(cacheStatus(ws.nx(['run', 'job-framework:build']).output, 'job-framework:build')).toBe('local');
  });

  it('renders with cookiecutter --no-input into a project whose files carry the given name, whose Makefile runs bin/git-commit-info', () => {
    const { run, out } = render('out', ['job_name=Nightly Sales Load', 'job_type=sql']);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const project = join(out, 'nightly-sales-load');
    const files = filesUnder(project).map((f) => f.slice(project.length + 1)).sort();
    expect(files).toEqual(
      expect.arrayContaining([
        'Makefile',
        'README.md',
        'bin/git-commit-info',
        'bin/yaml2json',
        'etc/version',
        'jobs/nightly-sales-load.yaml',
        'nightly_sales_load/handler.py',
        'tests/test_handler.py',
      ]),
    );
    expect(readFileSync(join(project, 'README.md'), 'utf8')).toContain('# Nightly Sales Load');
    expect(readFileSync(join(project, 'jobs/nightly-sales-load.yaml'), 'utf8')).toMatch(/^job_id: nightly-sales-load$/m);
    expect(readFileSync(join(project, 'nightly_sales_load/handler.py'), 'utf8')).toContain("JOB_ID = 'nightly-sales-load'");
    expect(filesUnder(project).filter((f) => !f.includes('/bin/') && readFileSync(f, 'utf8').includes('cookiecutter.'))).toEqual([]);
    const payload = spawnSync('make', ['payload'], { cwd: project, encoding: 'utf8' });
    expect(payload.status, payload.stdout + payload.stderr).toBe(0);
    expect(readFileSync(join(project, 'dist/git-commit-info.txt'), 'utf8')).toBe('no-git\n');
  });

  it('refuses to render a project the template’s hook rejects, saying why', () => {
    const { run } = render('bad', ['job_name=Bad Name!']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('ERROR: project_name "bad-name!" must be lower-case letters, digits and "-", starting with a letter');
  });

  it('rebuilds when the template or a file a link points to changes', () => {
    appendFileSync(ws.path(PROJECT, 'README.md'), '\nMore words.\n');
    const edited = ws.nx(['run', 'job-framework:build']);
    expect(cacheStatus(edited.output, 'job-framework:build')).toBe('miss');
    expect(entry('cookiecutter/{{cookiecutter.project_dir}}/README.md')).toContain('More words.');
    appendFileSync(ws.path('packages/lava/etc/yaml2json'), '# behind a link\n');
    const behindLink = ws.nx(['run', 'job-framework:build']);
    expect(cacheStatus(behindLink.output, 'job-framework:build')).toBe('miss');
    expect(entry('cookiecutter/{{cookiecutter.project_dir}}/bin/yaml2json')).toContain('# behind a link');
  });

  it('nx affected selects it for a template change and not for other lava code', () => {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ws.root, stdio: 'pipe' }).toString();
    git('checkout', '-q', '--', '.');
    const affected = (path: string) => {
      appendFileSync(ws.path(path), '\n# touched\n');
      git('commit', '-qam', `touch ${path}`);
      const run = ws.nx(['affected', '-t', 'build', '--base=HEAD~1', '--head=HEAD', '--explain=stdout']);
      expect(run.exitCode, run.output).toBe(0);
      return Object.keys(JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))).affected);
    };
    expect(affected(`${PROJECT}/Makefile`)).toContain('job-framework:build');
    expect(affected('packages/lava/bin/lava-version')).toContain('job-framework:build');
    expect(affected('packages/lava/lava/version.py')).not.toContain('job-framework:build');
  });

  it('a dangling symlink in the template fails the build, naming it, and writes no zip', () => {
    rmSync(ws.path('dist'), { recursive: true, force: true });
    symlinkSync('../../../../../etc/gone', ws.path(PROJECT, 'bin/gone'));
    const run = ws.nx(['run', 'job-framework:build', '--skip-nx-cache']);
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain(
      '✖ job-framework:build: cookiecutter/{{cookiecutter.project_dir}}/bin/gone is a dangling symlink (→ ../../../../../etc/gone): fix or remove it',
    );
    expect(existsSync(ws.path(ZIP))).toBe(false);
  });
});
