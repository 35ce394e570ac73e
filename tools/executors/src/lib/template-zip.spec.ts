import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { templateZipName, writeTemplateZip } from './template-zip';

const version = { num: '8.2.0', name: 'Kilauea', full: '8.2.0 (Kilauea)' };
let scratch: string;
let template: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'template-zip-'));
  template = join(scratch, 'src/cookiecutter');
  mkdirSync(join(template, '{{cookiecutter.slug}}/__pycache__'), { recursive: true });
  writeFileSync(join(template, 'cookiecutter.json'), '{"slug": "x"}');
  writeFileSync(join(template, '{{cookiecutter.slug}}/README.md'), '# {{cookiecutter.slug}}\n');
  writeFileSync(join(template, '{{cookiecutter.slug}}/__pycache__/x.pyc'), '');
  writeFileSync(join(scratch, 'src/shared.txt'), 'shared\n');
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

const listing = (zip: string) => execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n');

describe('writeTemplateZip', () => {
  it('writes the template under its folder, first, with relative entries and etc/version', async () => {
    const target = join(scratch, templateZipName('8.2.0'));
    await writeTemplateZip(template, target, version);
    expect(listing(target)).toEqual([
      'cookiecutter/',
      'cookiecutter/cookiecutter.json',
      'cookiecutter/{{cookiecutter.slug}}/',
      'cookiecutter/{{cookiecutter.slug}}/README.md',
      'etc/version',
    ]);
    expect(execFileSync('unzip', ['-p', target, 'etc/version'], { encoding: 'utf8' })).toBe('8.2.0 (Kilauea)\n');
  });

  it('stores what a link points to', async () => {
    symlinkSync('../../shared.txt', join(template, '{{cookiecutter.slug}}/shared.txt'));
    const target = join(scratch, 'z.zip');
    await writeTemplateZip(template, target, version);
    expect(execFileSync('unzip', ['-p', target, 'cookiecutter/{{cookiecutter.slug}}/shared.txt'], { encoding: 'utf8' })).toBe('shared\n');
  });

  it('fails on a dangling link, naming it, and writes nothing', async () => {
    symlinkSync('../../gone.txt', join(template, '{{cookiecutter.slug}}/gone.txt'));
    const target = join(scratch, 'z.zip');
    await expect(writeTemplateZip(template, target, version)).rejects.toThrow(/\{\{cookiecutter\.slug\}\}\/gone\.txt is a dangling symlink/);
    expect(existsSync(target)).toBe(false);
  });

  it('refuses links when told to', async () => {
    symlinkSync('../../shared.txt', join(template, '{{cookiecutter.slug}}/shared.txt'));
    await expect(writeTemplateZip(template, join(scratch, 'z.zip'), version, 'refuse')).rejects.toThrow(/is a symlink/);
  });
});
