// The build context of a lava image, staged as make's docker/Makefile staged it:
//   base: `cp -RL os/<os>/base/* $TMP; cp -L common/base/lava-<v>.tar.bz2 $TMP` (the bundle from
//         etc/pkg.sh without -m: the worker sources and an empty pylib/, no modules)
//   full: `cp -RL os/<os>/full/* $TMP; mkdir -p $TMP/packages; cp -RL packages $TMP`
//         (the Oracle zips, links dereferenced).
// A tree without a packages/ folder (our stand-in) gets the Instant Client zips from the
// oracle:sync folder under packages/ instead, so its scripts read the same place.
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { copyFile, cp, mkdir, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { stageBundle, writeBundle } from '../python/bundle';
import { BuildError } from '../core/errors';
import type { ImageType } from './build';
import { imageOracleZips } from './oracle';
import type { Platform } from '../core/platform';

export interface ImageContextInputs {
  workspaceRoot: string;
  dockerRoot: string;
  os: string;
  type: ImageType;
  version: string;
  /** The worker sources (base only). */
  workerDir: string;
  /** The oracle:sync folder, for a tree without `<dockerRoot>/packages` (full only). */
  oracleDir: string;
  platforms: readonly Platform[];
  /** Where to stage (created). */
  into: string;
  /** Scratch space for the bundle's own staging. */
  scratch: string;
}

/** make's `cp -RL <src> <dest>`: every link followed; a dangling one is an error naming it and the fix. */
async function copyDereferenced(src: string, dest: string, shownAs: string, fix: string): Promise<void> {
  const dangling = danglingLinks(src);
  if (dangling.length) {
    throw new BuildError(`${dangling.map((d) => `${shownAs}/${relative(src, d) || basename(d)}`).join(', ')} point${dangling.length > 1 ? '' : 's'} at nothing`, { fix });
  }
  await cp(src, dest, { recursive: true, dereference: true });
}

function danglingLinks(path: string): string[] {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) {
    if (!existsSync(path)) return [path];
    return statSync(path).isDirectory() ? danglingLinks(realpathSync(path)).map(() => path) : [];
  }
  if (!stat.isDirectory()) return [];
  return readdirSync(path).flatMap((name) => danglingLinks(join(path, name)));
}

export async function stageImageContext(i: ImageContextInputs): Promise<void> {
  const shown = `${i.dockerRoot}/os/${i.os}/${i.type}`;
  const folder = join(i.workspaceRoot, shown);
  await mkdir(i.into, { recursive: true });
  // `os/<os>/<type>/*`: the shell glob skips dot files.
  for (const name of readdirSync(folder).filter((n) => !n.startsWith('.')).sort()) {
    await copyDereferenced(join(folder, name), join(i.into, name), shown, `ls -l ${shown} (a link into common/ or ../ that moved?)`);
  }
  if (i.type === 'base') {
    const bundle = join(i.scratch, 'bundle');
    await stageBundle(join(i.workspaceRoot, i.workerDir), bundle, undefined, i.workerDir);
    await writeBundle(bundle, join(i.into, `lava-${i.version}.tar.bz2`));
    return;
  }
  const packages = join(i.workspaceRoot, i.dockerRoot, 'packages');
  if (existsSync(packages)) {
    await copyDereferenced(packages, join(i.into, 'packages'), `${i.dockerRoot}/packages`, 'npx nx run oracle:sync');
    return;
  }
  await mkdir(join(i.into, 'packages'), { recursive: true });
  for (const zip of imageOracleZips(join(i.workspaceRoot, i.oracleDir), i.platforms)) await copyFile(zip, join(i.into, 'packages', basename(zip)));
}

/** Every file of a staged context, relative, sorted (what a test compares with make's). */
export function contextFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? contextFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

// ---- the `# syntax=` directive -------------------------------------------------------

/** The frontend image a Dockerfile's `# syntax=` directive asks for (BuildKit reads it from the leading comments). */
export function syntaxDirective(dockerfileText: string): string | undefined {
  for (const line of dockerfileText.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('#')) return undefined;
    const m = /^#\s*syntax\s*=\s*(\S+)\s*$/i.exec(trimmed);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * The Dockerfile with its `# syntax=` line neutralised (the line kept as a plain comment,
 * so line numbers in errors stay right): the engine's built-in Dockerfile frontend then
 * builds it, as it does any Dockerfile without the line.
 */
export function withoutSyntaxDirective(dockerfileText: string): string {
  const lines = dockerfileText.split('\n');
  for (let n = 0; n < lines.length; n++) {
    if (!lines[n].trim().startsWith('#')) break;
    if (/^#\s*syntax\s*=/i.test(lines[n].trim())) {
      lines[n] = `# (${lines[n].trim().replace(/^#\s*/, '')}: the frontend image is not in the engine; its built-in frontend builds this)`;
      break;
    }
  }
  return lines.join('\n');
}

export async function writeDockerfileCopy(dockerfile: string, target: string, transform: (text: string) => string): Promise<string> {
  await writeFile(target, transform(readFileSync(dockerfile, 'utf8')));
  return target;
}
