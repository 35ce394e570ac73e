// job-framework:build with real nx, rendered by real cookiecutter.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheStatus, copyWorkspace, WORKSPACE_ROOT, type TempWorkspace } from './support/workspace';

const ZIP = 'dist/dev-tools/lava-job-framework-8.2.0.zip';
const TEMPLATE = 'packages/job-framework/cookiecutter/{{cookiecutter.project_slug}}';

let ws: TempWorkspace;
let scratch: string;
beforeAll(() => {
  ws = copyWorkspace({ prefix: 'lava-job-framework' });
  scratch = mkdtempSync(join(tmpdir(), 'job-framework-e2e-'));
});
afterAll(() => {
  ws?.remove();
  rmSync(scratch, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('job-framework:build', () => {
  it('zips relative entries (no ../) plus etc/version', () => {
    const run = ws.nx(['run', 'job-framework:build']);
    expect(run.exitCode, run.output).toBe(0);
    const names = execFileSync('unzip', ['-Z1', ws.path(ZIP)], { encoding: 'utf8' }).trim().split('\n');
    expect(names[0]).toBe('cookiecutter/');
    expect(names).toContain('cookiecutter/cookiecutter.json');
    expect(names).toContain('etc/version');
    expect(names.filter((n) => n.startsWith('/') || n.split('/').includes('..'))).toEqual([]);
    expect(execFileSync('unzip', ['-p', ws.path(ZIP), 'etc/version'], { encoding: 'utf8' })).toBe('8.2.0 (Kilauea)\n');
    expect(cacheStatus(ws.nx(['run', 'job-framework:build']).output, 'job-framework:build')).toBe('local');
  });

  it('renders with cookiecutter --no-input into a project whose files carry the given name', () => {
    const config = join(scratch, 'cookiecutter.yaml');
    writeFileSync(config, `cookiecutters_dir: ${join(scratch, 'cookiecutters')}\nreplay_dir: ${join(scratch, 'replay')}\n`);
    const out = join(scratch, 'out');
    const render = spawnSync(
      join(WORKSPACE_ROOT, '.venv/bin/cookiecutter'),
      ['--no-input', '--config-file', config, '--output-dir', out, ws.path(ZIP), 'job_name=Nightly Sales Load', 'job_type=sql'],
      { encoding: 'utf8' },
    );
    expect(render.status, render.stdout + render.stderr).toBe(0);
    const project = join(out, 'nightly-sales-load');
    const files = filesUnder(project).map((f) => f.slice(project.length + 1)).sort();
    expect(files).toEqual(
      expect.arrayContaining(['Makefile', 'README.md', 'jobs/nightly-sales-load.yaml', 'nightly_sales_load/handler.py', 'tests/test_handler.py']),
    );
    expect(readFileSync(join(project, 'README.md'), 'utf8')).toContain('# Nightly Sales Load');
    expect(readFileSync(join(project, 'jobs/nightly-sales-load.yaml'), 'utf8')).toMatch(/^job_id: nightly-sales-load$/m);
    expect(readFileSync(join(project, 'nightly_sales_load/handler.py'), 'utf8')).toContain("JOB_ID = 'nightly-sales-load'");
    expect(filesUnder(project).filter((f) => readFileSync(f, 'utf8').includes('cookiecutter.'))).toEqual([]);
  });

  it('a dangling symlink in the template fails the build, naming it, and writes no zip', () => {
    rmSync(ws.path('dist'), { recursive: true, force: true });
    symlinkSync('../../../../etc/gone', ws.path(TEMPLATE, 'gone'));
    const run = ws.nx(['run', 'job-framework:build', '--skip-nx-cache']);
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain('✖ job-framework:build: {{cookiecutter.project_slug}}/gone is a dangling symlink (→ ../../../../etc/gone): fix or remove it');
    expect(existsSync(ws.path(ZIP))).toBe(false);
  });
});
