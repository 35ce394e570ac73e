// `npx nx g ./tools/executors:adopt-lava --source=<lava checkout>`: the real tree
// replaces the stand-ins. Regular files go through Nx's tree (so --dry-run lists
// them); links, which the tree cannot hold, are listed here and made once the tree
// is written.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { logger, type GeneratorCallback, type Tree } from '@nx/devkit';
import {
  KEPT_BUILD_FILES,
  LAVA_VERSION_FILE,
  readLavaTree,
  repointLink,
  STAND_IN_MARKER,
  STAND_IN_ROOTS,
  withAdoptedGitignore,
  workspacePathOf,
} from '../../lib/workspace/adopt';
import { BuildError } from '../../lib/core/errors';
import type { AdoptLavaGeneratorSchema } from './schema';

interface Link {
  path: string;
  target: string;
}

interface LateWrite {
  path: string;
  content: Buffer;
  mode: number;
}

export default async function adoptLava(tree: Tree, options: AdoptLavaGeneratorSchema): Promise<GeneratorCallback | undefined> {
  const source = resolve(tree.root, options.source);
  const entries = readLavaTree(source);
  const standIns = tree.exists(STAND_IN_MARKER);
  const leftover = new Set(STAND_IN_ROOTS.flatMap((root) => filesOnDisk(tree.root, root)));
  const links: Link[] = [];
  const lateWrites: LateWrite[] = [];
  let fileCount = 0;

  for (const entry of entries) {
    if (entry.path === '.gitignore') continue;
    const dest = workspacePathOf(entry.path);
    leftover.delete(dest);
    const onDisk = lstatOrUndefined(join(tree.root, dest));
    if (entry.kind === 'link') {
      const target = repointLink(entry.path, entry.target!);
      if (!onDisk?.isSymbolicLink() || readlinkSync(join(tree.root, dest)) !== target) links.push({ path: dest, target });
      continue;
    }
    fileCount++;
    const content = readFileSync(join(source, entry.path));
    const mode = entry.executable ? 0o755 : 0o644;
    // Writing through a stand-in's link would change the file it points to: replace the link itself, later.
    if (onDisk?.isSymbolicLink()) lateWrites.push({ path: dest, content, mode });
    else tree.write(dest, content, { mode });
  }
  for (const path of leftover) {
    if (!KEPT_BUILD_FILES.has(posix.basename(path))) tree.delete(path);
  }
  if (standIns) tree.delete(STAND_IN_MARKER);
  if (existsSync(join(source, '.gitignore'))) {
    tree.write('.gitignore', withAdoptedGitignore(tree.read('.gitignore', 'utf8') ?? '', readFileSync(join(source, '.gitignore'), 'utf8')));
  }

  const changes = tree.listChanges().length + links.length + lateWrites.length;
  if (!standIns) {
    if (changes === 0) {
      logger.info(`lava from ${source} is already adopted here: nothing to do`);
      return undefined;
    }
    throw new BuildError(
      `this workspace already holds an adopted lava tree (no ${STAND_IN_MARKER}), and ${source} differs from it in ${changes} file(s); adoption replaces the stand-ins only once`,
      { fix: 'adopt into a fresh clone of the build, or commit your lava changes in this workspace directly' },
    );
  }
  for (const write of lateWrites) logger.info(`REPLACE ${write.path} (a link in the stand-ins)`);
  for (const link of links) logger.info(`LINK ${link.path} -> ${link.target}`);
  const version = JSON.parse(readFileSync(join(source, LAVA_VERSION_FILE), 'utf8')).__version_num__;

  return () => {
    for (const write of lateWrites) {
      rmSync(join(tree.root, write.path), { force: true });
      writeFileSync(join(tree.root, write.path), write.content, { mode: write.mode });
    }
    for (const link of links) {
      const path = join(tree.root, link.path);
      mkdirSync(dirname(path), { recursive: true });
      rmSync(path, { recursive: true, force: true });
      symlinkSync(link.target, path);
    }
    for (const root of STAND_IN_ROOTS) removeEmptyDirs(join(tree.root, root));
    const staged = stageIgnoredFiles(tree.root, entries.filter((e) => e.path !== '.gitignore').map((e) => workspacePathOf(e.path)));
    logger.info(
      `Adopted lava ${version} from ${source}: ${fileCount} files and ${entries.length - fileCount - (entries.some((e) => e.path === '.gitignore') ? 1 : 0)} links.` +
        (staged ? ` Staged ${staged} file(s) that the tree tracks although its .gitignore matches them.` : '') +
        `\nNext: git add -A && git commit -m "Adopt lava ${version}" && ./build.sh`,
    );
  };
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** Files and links under `dir` (relative to `root`), not following links. */
function filesOnDisk(root: string, dir: string): string[] {
  const full = join(root, dir);
  if (!lstatOrUndefined(full)?.isDirectory()) return [];
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    return entry.isDirectory() ? filesOnDisk(root, path) : [path];
  });
}

function removeEmptyDirs(dir: string): boolean {
  if (!lstatOrUndefined(dir)?.isDirectory()) return false;
  const empty = readdirSync(dir, { withFileTypes: true }).every((e) => e.isDirectory() && removeEmptyDirs(join(dir, e.name)));
  if (empty) rmdirSync(dir);
  return empty;
}

/**
 * The real tree tracks files that its own .gitignore matches (the Oracle links are
 * `*.zip`); `git add -A` would leave them out, so they are staged here.
 */
function stageIgnoredFiles(root: string, paths: string[]): number {
  const git = (args: string[], input?: string) =>
    execFileSync('git', ['-C', root, ...args], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] });
  try {
    git(['rev-parse', '--is-inside-work-tree']);
  } catch {
    return 0;
  }
  let ignored: string[];
  try {
    ignored = git(['check-ignore', '--no-index', '--stdin', '-z'], paths.join('\0') + '\0').split('\0').filter(Boolean);
  } catch {
    return 0; // exit 1: none of them is ignored
  }
  git(['add', '-f', '--', ...ignored]);
  return ignored.length;
}
