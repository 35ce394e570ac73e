import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { excludedByMake, templateZipName, writeTemplateZip, zipWildcard } from './job-framework';
import { tempDir } from '../../testing/temp-dir';

const version = { num: '8.2.0', name: 'Kilauea', full: '8.2.0 (Kilauea)' };
let scratch: string;
let resources: string;
const write = (path: string, text = '') => {
  mkdirSync(dirname(join(resources, path)), { recursive: true });
  writeFileSync(join(resources, path), text);
};
beforeEach(() => {
  scratch = tempDir('template-zip-');
  resources = join(scratch, 'lava/lava/resources');
  write('cookiecutter/cookiecutter.json', '{"project_name": "x"}');
  write('cookiecutter/{{cookiecutter.project_dir}}/README.md', '# {{cookiecutter.project_name}}\n');
  write('cookiecutter/{{cookiecutter.project_dir}}/bin/git-commit-info', '#!/bin/sh\n');
  write('cookiecutter/{{cookiecutter.project_dir}}/__pycache__/x.pyc');
  write('cookiecutter/{{cookiecutter.project_dir}}/x.egg-info/PKG-INFO');
  write('cookiecutter/{{cookiecutter.project_dir}}/dist/old.whl');
  write('cookiecutter/{{cookiecutter.project_dir}}/.DS_Store');
  write('cookiecutter/{{cookiecutter.project_dir}}/notes.swp');
  mkdirSync(join(scratch, 'lava/etc'));
  writeFileSync(join(scratch, 'lava/etc/jinja'), 'jinja\n');
});

const listing = (zip: string) => execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n');

describe('make’s excludes, matched as zip matches them', () => {
  it('reads Info-ZIP wildcards: * crosses folders', () => {
    expect(zipWildcard('*-info/*').test('../lava/resources/a/x.dist-info/RECORD')).toBe(true);
    expect(zipWildcard('*-info/*').test('../lava/resources/a/bin/git-commit-info')).toBe(false);
    expect(zipWildcard('*.tar.*').test('a/b.tar.gz')).toBe(true);
    expect(zipWildcard('f?[!x].c').test('fab.c')).toBe(true);
    expect(zipWildcard('f?[!x].c').test('fax.c')).toBe(false);
  });

  it('drops what make dropped and keeps bin/git-commit-info', () => {
    expect(excludedByMake('cookiecutter/p/bin/git-commit-info', false)).toBe(false);
    expect(excludedByMake('cookiecutter/p/x.egg-info', true)).toBe(true);
    expect(excludedByMake('cookiecutter/p/__pycache__', true)).toBe(true);
    expect(excludedByMake('cookiecutter/p/dist', true)).toBe(true);
    expect(excludedByMake('cookiecutter/p/.DS_Store', false)).toBe(true);
    expect(excludedByMake('cookiecutter/p/distribution.md', false)).toBe(false);
  });
});

describe('writeTemplateZip', () => {
  it('writes make’s entries relative to lava/resources, the template folder first, plus etc/version', async () => {
    const target = join(scratch, templateZipName('8.2.0'));
    expect(await writeTemplateZip(resources, target, version)).toBe(7);
    expect(listing(target)).toEqual([
      'cookiecutter/',
      'cookiecutter/cookiecutter.json',
      'cookiecutter/{{cookiecutter.project_dir}}/',
      'cookiecutter/{{cookiecutter.project_dir}}/README.md',
      'cookiecutter/{{cookiecutter.project_dir}}/bin/',
      'cookiecutter/{{cookiecutter.project_dir}}/bin/git-commit-info',
      'etc/version',
    ]);
    expect(execFileSync('unzip', ['-p', target, 'etc/version'], { encoding: 'utf8' })).toBe('8.2.0 (Kilauea)\n');
  });

  it('stores what a link out of lava/ into a declared folder points to', async () => {
    symlinkSync('../../../../../etc/jinja', join(resources, 'cookiecutter/{{cookiecutter.project_dir}}/bin/jinja'));
    const target = join(scratch, 'z.zip');
    await writeTemplateZip(resources, target, version, { linkRoots: [join(scratch, 'lava/etc')] });
    expect(execFileSync('unzip', ['-p', target, 'cookiecutter/{{cookiecutter.project_dir}}/bin/jinja'], { encoding: 'utf8' })).toBe('jinja\n');
  });

  it('refuses a link to a folder that is not an input, naming it', async () => {
    symlinkSync('../../../../../etc/jinja', join(resources, 'cookiecutter/{{cookiecutter.project_dir}}/bin/jinja'));
    await expect(writeTemplateZip(resources, join(scratch, 'z.zip'), version, { displayRoot: scratch })).rejects.toThrow(
      'cookiecutter/{{cookiecutter.project_dir}}/bin/jinja leads by a link to lava/etc/jinja, outside the folders job-framework:build declares as inputs (lava/lava/resources)',
    );
  });

  it('fails on a dangling link, naming it, and writes nothing', async () => {
    symlinkSync('../../gone.txt', join(resources, 'cookiecutter/{{cookiecutter.project_dir}}/gone.txt'));
    const target = join(scratch, 'z.zip');
    await expect(writeTemplateZip(resources, target, version)).rejects.toThrow(/\{\{cookiecutter\.project_dir\}\}\/gone\.txt is a dangling symlink/);
    expect(existsSync(target)).toBe(false);
  });

  it('refuses links when told to', async () => {
    symlinkSync('../README.md', join(resources, 'cookiecutter/{{cookiecutter.project_dir}}/bin/readme'));
    await expect(writeTemplateZip(resources, join(scratch, 'z.zip'), version, { symlinks: 'refuse' })).rejects.toThrow(/is a symlink/);
  });

  it('refuses resources whose first folder is not the template', async () => {
    write('aaa/notes.txt', 'x');
    await expect(writeTemplateZip(resources, join(scratch, 'z.zip'), version)).rejects.toThrow(/the first folder in it \(aaa\) holds no cookiecutter\.json/);
  });
});
