// What makes a `pip install --target` tree (pylib/) the same from one install of the
// same wheels to the next, whichever installer made it.
import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { lstat, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * What an installer writes about the install, not the distribution: its record and name, the URL,
 * PEP 376's REQUESTED marker (pip marks what was named, uv more) and uv's build record. Nothing
 * reads them at run time; dropped, uv's and pip's pylib/ agree.
 */
const INSTALL_RECORDS = new Set(['RECORD', 'INSTALLER', 'direct_url.json', 'REQUESTED', 'uv_build.json']);
const ABSOLUTE_PYTHON_SHEBANG = /^#!\s*\/\S*python[\d.]*(?=\s|$)/;

export interface CleanReport {
  removed: number;
  shebangs: number;
}

/**
 * Makes a `pip install --target` tree reproducible: removes what differs
 * between installs of the same wheels (installer records, bytecode) and
 * rewrites script shebangs that name the build's interpreter.
 */
export async function cleanPylib(pylib: string): Promise<CleanReport> {
  const report: CleanReport = { removed: 0, shebangs: 0 };
  // Synchronous calls: one promise per file took 0.35 s of the real bundle's 8,000 files.
  const walk = (dir: string, inDistInfo: boolean): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const info = lstatSync(path);
      if (info.isDirectory()) {
        if (name === '__pycache__') {
          rmSync(path, { recursive: true, force: true });
          report.removed++;
        } else {
          walk(path, name.endsWith('.dist-info'));
        }
      } else if (info.isFile() && (name.endsWith('.pyc') || (inDistInfo && INSTALL_RECORDS.has(name)))) {
        rmSync(path, { force: true });
        report.removed++;
      }
    }
  };
  walk(pylib, false);
  // uv's lock file for the --target directory (empty; pip has none).
  try {
    if ((await lstat(join(pylib, '.lock'))).isFile()) {
      await rm(join(pylib, '.lock'), { force: true });
      report.removed++;
    }
  } catch {
    // none
  }
  report.shebangs = await portableShebangs(join(pylib, 'bin'));
  return report;
}

async function portableShebangs(bin: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(bin);
  } catch {
    return 0;
  }
  let count = 0;
  for (const name of names) {
    const path = join(bin, name);
    if (!(await lstat(path)).isFile()) continue;
    const text = await readFile(path, 'latin1');
    const match = ABSOLUTE_PYTHON_SHEBANG.exec(text);
    if (!match) continue;
    // A new file renamed over the old one: the old may be a hard link into uv's cache, which an
    // in-place write would change for every later install.
    const temp = `${path}.lava-tmp`;
    await writeFile(temp, `#!/usr/bin/env python3${text.slice(match[0].length)}`, { encoding: 'latin1', mode: (await lstat(path)).mode & 0o7777 });
    await rename(temp, path);
    count++;
  }
  return count;
}

