// The job-framework zip (make tools): the cookiecutter template under its own
// folder name, entries relative (make wrote `../lava/resources/…`), plus
// etc/version. Cookiecutter takes a zip's first entry as the template folder,
// so the folder must sort before `etc/`.
import { basename } from 'node:path';
import { collectEntries, writeZip, type ArchiveEntry, type SymlinkPolicy } from './archive';
import { BuildError } from './errors';
import type { LavaVersion } from './version';

/** make's zip excludes. */
export const TEMPLATE_EXCLUDES = ['*.pyc', '__pycache__', '*.swp', '*.zip', '*.tar.*', '*-info', '.DS_Store', 'dist'];

export function templateZipName(version: string): string {
  return `lava-job-framework-${version}.zip`;
}

/** The template's entries under its folder name; links followed (or refused), dangling ones fail. */
export async function templateEntries(templateDir: string, symlinks: Exclude<SymlinkPolicy, 'keep'>): Promise<ArchiveEntry[]> {
  const top = basename(templateDir);
  if (top >= 'etc') {
    throw new BuildError(`the template folder "${top}" sorts after etc/ in the zip, so cookiecutter would take etc/ for the template: rename it (e.g. cookiecutter)`);
  }
  const inner = await collectEntries(templateDir, { exclude: TEMPLATE_EXCLUDES, symlinks });
  if (!inner.some((e) => e.path === 'cookiecutter.json')) {
    throw new BuildError(`${templateDir} has no cookiecutter.json: it is not a cookiecutter template`);
  }
  return [{ path: top, kind: 'dir', source: templateDir, mode: 0o755 }, ...inner.map((e) => ({ ...e, path: `${top}/${e.path}` }))];
}

export async function writeTemplateZip(templateDir: string, target: string, version: LavaVersion, symlinks: Exclude<SymlinkPolicy, 'keep'> = 'follow'): Promise<number> {
  const entries = await templateEntries(templateDir, symlinks);
  await writeZip(entries, target, [{ path: 'etc/version', data: `${version.full}\n` }]);
  return entries.length + 1;
}
