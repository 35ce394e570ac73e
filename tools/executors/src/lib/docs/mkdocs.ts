// The lava user guide, built the way lava's make build put it together, from a
// folder shaped like lava's `doc/`:
//
//   user-guide/NN-Chapter/*.md, NN-*.md   the chapters (H1 = a page, H2+ inside it)
//   mkdocs/mkdocs.yml                     nav holds one "**md-split**" entry
//   mkdocs/docs/                          index.md (a Jinja template given `version`),
//                                         overrides/, hooks, css, img (a link to ../../img)
//   cfdoc/md-mkdocs.jinja2                renders one CloudFormation template as a section
//   img/                                  pictures the chapters use
//
// 1. assemble: the chapters are copied to scratch; the samples page is made
//    again from the dev-tools item templates when the tree has its generator;
//    each *source* CloudFormation template is rendered by cfdoc into the cfn
//    chapter; then every .md is concatenated in byte order of its path (never
//    locale order), each prefixed by a blank line: `lava-user-guide.md`.
// 2. prepare: mkdocs/ is copied with its links resolved, index.md rendered with
//    the version, and the merged guide split at its H1s into pages (md-split.ts),
//    whose list replaces the "**md-split**" nav entry: `lava-user-guide.site/`.
// 3. mkdocs builds that into `site/`, with the lava package importable for the
//    API pages (PYTHONPATH) and `md_footer_rhs` = "v<version>" for the footer.
//    Warnings are printed and counted; `strict` makes them fatal.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import fg from 'fast-glob';
import { cfdoc } from '../cfn/cfdoc';
import { archiveEpoch } from '../core/archive';
import { BuildError, isBuildError } from '../core/errors';
import { writeAtomically } from '../core/fs';
import { mdSplit, type SplitResult } from './md-split';
import { run, type RunOptions } from '../core/process';
import { pythonEnvDir, pythonTool } from '../python/venv';
import type { LavaVersion } from '../workspace/version';

export const CFDOC_FORMAT = 'md-mkdocs';
/** The names make gave the two forms of the guide in dist/doc. */
export const MERGED_NAME = 'lava-user-guide.md';
export const SITE_SOURCE_NAME = 'lava-user-guide.site';
export const SITE_NAME = 'site';

export interface GuideSources {
  workspaceRoot: string;
  /** The docs project folder (lava's doc/), absolute. */
  projectDir: string;
  /** `<project>/user-guide`. */
  userGuideDir: string;
  /** `<project>/mkdocs`, holding mkdocs.yml and docs/. */
  mkdocsDir: string;
  /** The directory holding `md-mkdocs.jinja2` (cfdoc's CFDOCPATH). */
  cfdocDir: string;
  /** `<project>/img`. */
  imgDir: string;
  /** The CloudFormation source templates (packages/cfn/*.cfn.json), absolute. */
  templates: string[];
  /** The chapter folder the template pages go into, e.g. `60-cfn`. */
  cfnChapter: string;
  /** The samples page generator (lava's dev-tools/make-template-md.sh), when the tree has it. */
  samplesScript?: string;
  /** The samples page inside the chapters, e.g. `18-Samples/samples.md`. */
  samplesPage: string;
  /** Put on PYTHONPATH so mkdocstrings imports lava (the folder holding the `lava` package). */
  lavaPath: string;
  version: LavaVersion;
}

export interface GuideOptions {
  userGuideDir?: string;
  mkdocsDir?: string;
  cfdocDir?: string;
  imgDir?: string;
  templates?: string;
  cfnChapter?: string;
  samplesScript?: string;
  samplesPage?: string;
  lavaPath?: string;
}

/** Resolves a guide target's options against the workspace and project roots. */
export function guideSources(workspaceRoot: string, project: string, options: GuideOptions, version: LavaVersion): GuideSources {
  const abs = (path: string) => (isAbsolute(path) ? path : join(workspaceRoot, path));
  const projectDir = abs(project);
  const mkdocsDir = abs(options.mkdocsDir ?? join(project, 'mkdocs'));
  const config = join(mkdocsDir, 'mkdocs.yml');
  if (!existsSync(config)) {
    throw new BuildError(`no mkdocs configuration at ${relative(workspaceRoot, config)} (the guide is laid out like lava's doc/: user-guide/, mkdocs/mkdocs.yml, cfdoc/, img/)`);
  }
  const userGuideDir = abs(options.userGuideDir ?? join(project, 'user-guide'));
  if (!existsSync(userGuideDir)) throw new BuildError(`no chapters at ${relative(workspaceRoot, userGuideDir)}`);
  const pattern = options.templates ?? 'packages/cfn/*.cfn.json';
  const templates = fg.sync(pattern, { cwd: workspaceRoot, absolute: true, onlyFiles: true });
  const samplesScript = abs(options.samplesScript ?? 'packages/dev-tools/make-template-md.sh');
  return {
    workspaceRoot,
    projectDir,
    userGuideDir,
    mkdocsDir,
    cfdocDir: abs(options.cfdocDir ?? join(project, 'cfdoc')),
    imgDir: abs(options.imgDir ?? join(project, 'img')),
    templates,
    cfnChapter: options.cfnChapter ?? '60-cfn',
    samplesScript: existsSync(samplesScript) ? samplesScript : undefined,
    samplesPage: options.samplesPage ?? '18-Samples/samples.md',
    lavaPath: abs(options.lavaPath ?? 'packages/lava'),
    version,
  };
}

/** Byte (UTF-8 code unit) order, what `LC_ALL=C sort` gives; never the locale's collation. */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * A file that holds only a relative path naming an existing file or folder
 * beside it is a symbolic link checked out without link support (git writes
 * the link's target as the file's text). Returns that target, absolute.
 */
export async function textLinkTarget(file: string, size: number): Promise<string | undefined> {
  if (size === 0 || size > 1024) return undefined;
  const text = await readFile(file, 'utf8');
  if (/[\n\r\0]/.test(text) || isAbsolute(text) || !/^[\w.@+-][\w./@+-]*$/.test(text)) return undefined;
  const target = resolve(dirname(file), text);
  return target !== file && existsSync(target) ? target : undefined;
}

/**
 * Copies `src` to `dest` as `cp -RL` does (links followed), also following
 * links checked out as text files; `onTextLink` hears of each.
 */
export async function copyResolved(
  src: string,
  dest: string,
  onTextLink: (file: string, target: string) => void = () => undefined,
  seen: readonly string[] = [],
): Promise<void> {
  const info = await stat(src);
  if (info.isDirectory()) {
    const real = resolve(src);
    if (seen.includes(real)) throw new BuildError(`${src} links back to a folder that holds it`);
    await mkdir(dest, { recursive: true });
    for (const name of (await readdir(src)).sort(byteOrder)) {
      await copyResolved(join(src, name), join(dest, name), onTextLink, [...seen, real]);
    }
    return;
  }
  const target = await textLinkTarget(src, info.size);
  if (target) {
    onTextLink(src, target);
    return copyResolved(target, dest, onTextLink, seen);
  }
  await copyFile(src, dest);
}

/** Template names in byte order (`lava-common.cfn.json` for `…/lava-common.cfn.json`). */
export function templateFiles(templates: readonly string[]): { name: string; file: string }[] {
  return templates.map((file) => ({ name: basename(file), file })).sort((a, b) => byteOrder(a.name, b.name));
}

export interface GuideLog {
  info: (line: string) => void;
  warn: (line: string) => void;
}

const consoleLog: GuideLog = { info: (l) => console.log(l), warn: (l) => console.warn(`WARNING: ${l}`) };

function textLinkWarning(sources: GuideSources, log: GuideLog) {
  return (file: string, target: string) =>
    log.warn(`${relative(sources.workspaceRoot, file)} holds the link target "${relative(dirname(file), target)}" as text (a symbolic link checked out as a file); followed it`);
}

/** Renders one page per source template into `<chapters>/<cfnChapter>/<file>.md` with the tree's cfdoc template. */
export async function renderCfnPages(sources: GuideSources, chapters: string): Promise<string[]> {
  if (sources.templates.length === 0) throw new BuildError('no CloudFormation templates match packages/cfn/*.cfn.json');
  const template = join(sources.cfdocDir, `${CFDOC_FORMAT}.jinja2`);
  if (!existsSync(template)) throw new BuildError(`no cfdoc template at ${relative(sources.workspaceRoot, template)}`);
  const render = cfdoc(sources.workspaceRoot);
  const dir = join(chapters, sources.cfnChapter);
  await mkdir(dir, { recursive: true });
  const pages: string[] = [];
  for (const { name, file } of templateFiles(sources.templates)) {
    const { stdout } = await render(file, { format: CFDOC_FORMAT, name, templateDir: sources.cfdocDir, cwd: sources.projectDir });
    const page = join(dir, `${name}.md`);
    await writeFile(page, stdout);
    pages.push(page);
  }
  return pages;
}

/** The samples page, made again by the tree's own generator (run in a copy of dev-tools, the venv's python3 first on PATH). */
export async function renderSamples(sources: GuideSources, scratch: string, log: GuideLog): Promise<string | undefined> {
  if (!sources.samplesScript) return undefined;
  const devTools = join(scratch, 'dev-tools');
  await copyResolved(dirname(sources.samplesScript), devTools, textLinkWarning(sources, log));
  const { stdout } = await run('bash', [basename(sources.samplesScript)], {
    cwd: devTools,
    env: { PATH: `${join(pythonEnvDir(sources.workspaceRoot), 'bin')}:${process.env.PATH ?? ''}` },
    stream: false,
    label: `${relative(sources.workspaceRoot, sources.samplesScript)}`,
  });
  return stdout;
}

/** Concatenates every `.md` under `dir` in byte order of its path, each prefixed by a blank line. */
export async function concatenateChapters(dir: string): Promise<{ files: string[]; markdown: string }> {
  const files = (await fg('**/*.md', { cwd: dir, dot: true, onlyFiles: true, followSymbolicLinks: true })).sort(byteOrder);
  let markdown = '';
  for (const file of files) {
    const text = await readFile(join(dir, file), 'utf8');
    if (text.length) markdown += `\n${text}`;
  }
  return { files, markdown };
}

export interface AssembledGuide {
  markdown: string;
  chapters: string[];
  cfnPages: string[];
  samples: boolean;
}

/** Step 1: the merged Markdown of the guide (scratch holds the chapter copy). */
export async function assembleGuide(sources: GuideSources, scratch: string, log: GuideLog = consoleLog): Promise<AssembledGuide> {
  const chapters = join(scratch, 'user-guide');
  await rm(chapters, { recursive: true, force: true });
  await copyResolved(sources.userGuideDir, chapters);
  const samples = await renderSamples(sources, scratch, log);
  if (samples !== undefined) {
    await mkdir(dirname(join(chapters, sources.samplesPage)), { recursive: true });
    await writeFile(join(chapters, sources.samplesPage), samples);
  }
  const cfnPages = await renderCfnPages(sources, chapters);
  const { files, markdown } = await concatenateChapters(chapters);
  return { markdown, chapters: files, cfnPages: cfnPages.map((p) => relative(chapters, p)), samples: samples !== undefined };
}

const RENDER_INDEX = `
import sys, jinja2
src, dest, version = sys.argv[1:4]
with open(src) as f:
    text = jinja2.Environment().from_string(f.read()).render(version=version)
with open(dest, 'w') as f:
    f.write(text + '\\n')
`;

/** Step 2: the mkdocs source area in `siteSource` (mkdocs.yml, docs/ with the split pages). */
export async function prepareSite(sources: GuideSources, mergedFile: string, siteSource: string, log: GuideLog = consoleLog): Promise<SplitResult> {
  await copyResolved(sources.mkdocsDir, siteSource, textLinkWarning(sources, log));
  const index = join(siteSource, 'docs', 'index.md');
  if (existsSync(join(sources.mkdocsDir, 'docs', 'index.md'))) {
    const python = pythonTool(sources.workspaceRoot, 'python3');
    await run(python, ['-c', RENDER_INDEX, join(sources.mkdocsDir, 'docs', 'index.md'), index, sources.version.full], {
      stream: false,
      label: 'rendering mkdocs/docs/index.md',
    });
  }
  const split = await mdSplit(mergedFile, join(siteSource, 'docs'), join(siteSource, 'mkdocs.yml'));
  for (const warning of split.warnings) log.warn(`md-split: ${warning}`);
  return split;
}

/** The environment mkdocs runs with. */
export function guideEnv(sources: Pick<GuideSources, 'version' | 'lavaPath'>): Record<string, string> {
  return {
    // Shown by the footer (overrides/partials/footer.html reads it through the hook).
    md_footer_rhs: `v${sources.version.full}`,
    // mkdocstrings imports the lava package from the tree, as make's PYTHONPATH=.. did; set,
    // not added to, so a PYTHONPATH in the caller's shell cannot change the pages.
    PYTHONPATH: sources.lavaPath,
    // Material's end-of-life banner would otherwise open every build log.
    NO_MKDOCS_2_WARNING: '1',
    // mkdocs stamps sitemap.xml.gz with the build date; a fixed one keeps the site reproducible.
    SOURCE_DATE_EPOCH: String(archiveEpoch()),
  };
}

export function buildArgs(configFile: string, siteDir: string, strict = false): string[] {
  return ['build', ...(strict ? ['--strict'] : []), '--clean', '--config-file', configFile, '--site-dir', siteDir];
}

export function serveArgs(configFile: string, address: string): string[] {
  return ['serve', '--config-file', configFile, '--dev-addr', address, '--livereload'];
}

const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

/** mkdocs' WARNING (or ERROR) log lines, with the page lists some of them carry, in order. */
export function mkdocsWarnings(output: string, level: 'WARNING' | 'ERROR' = 'WARNING'): string[] {
  const lines = output.split('\n').map(plain);
  const found: string[] = [];
  const head = new RegExp(`^${level}\\s+-\\s+(.*)$`);
  for (let i = 0; i < lines.length; i++) {
    const match = head.exec(lines[i].trim());
    if (!match) continue;
    const items: string[] = [];
    for (let j = i + 1; j < lines.length && /^\s+- /.test(lines[j]); j++) items.push(lines[j].trim().slice(2));
    const problem = match[1].trim().replace(/\.$/, '');
    found.push(items.length ? `${problem} ${items.join(', ')}` : problem);
  }
  return found;
}

/**
 * The first problem mkdocs reported, for the one-line error: an ERROR line,
 * else (strict mode turning warnings into the failure) the first WARNING.
 */
export function firstProblem(output: string): string | undefined {
  const lines = output.split('\n').map(plain);
  const logged = mkdocsWarnings(output, 'ERROR')[0];
  if (logged) return logged;
  const error = lines.map((l) => /^(?:\w+\.)*\w*(?:Error|Exception): (.+)$/.exec(l.trim())).find(Boolean);
  return mkdocsWarnings(output)[0] ?? error?.[0];
}

export interface GuideBuild {
  pages: string[];
  warnings: string[];
  /** ERROR lines mkdocs logged but carried on after (a plugin's, say); --strict fails on them. */
  errors: string[];
  xrefWarnings: string[];
  samples: boolean;
}

export interface BuildGuideOptions {
  strict?: boolean;
  log?: GuideLog;
}

/**
 * Builds the guide into `outDir` (dist/doc), whole or not at all:
 * `lava-user-guide.md`, `img/`, `lava-user-guide.site/` (the mkdocs source) and `site/`.
 */
export async function buildGuide(sources: GuideSources, outDir: string, scratch: string, options: BuildGuideOptions = {}): Promise<GuideBuild> {
  const log = options.log ?? consoleLog;
  const mkdocs = pythonTool(sources.workspaceRoot, 'mkdocs');
  const assembled = await assembleGuide(sources, scratch, log);
  return writeAtomically(outDir, async (staging) => {
    await mkdir(staging, { recursive: true });
    const merged = join(staging, MERGED_NAME);
    await writeFile(merged, assembled.markdown);
    if (existsSync(sources.imgDir)) await copyResolved(sources.imgDir, join(staging, 'img'));
    const siteSource = join(staging, SITE_SOURCE_NAME);
    const split = await prepareSite(sources, merged, siteSource, log);
    let output: string;
    try {
      const result = await run(mkdocs, buildArgs(join(siteSource, 'mkdocs.yml'), join(staging, SITE_NAME), options.strict), {
        cwd: sources.projectDir,
        env: guideEnv(sources),
        label: `mkdocs build${options.strict ? ' --strict' : ''}`,
      });
      output = `${result.stdout}\n${result.stderr}`;
    } catch (error) {
      const problem = isBuildError(error) ? firstProblem(error.detail ?? '') : undefined;
      if (!problem) throw error;
      throw new BuildError(`mkdocs${options.strict ? ' (strict)' : ''}: ${problem}`, {
        fix: 'correct the page, then npx nx run docs:build',
        detail: error instanceof BuildError ? error.detail : undefined,
      });
    }
    return { pages: split.pages.map((p) => p.file), warnings: mkdocsWarnings(output), errors: mkdocsWarnings(output, 'ERROR'), xrefWarnings: split.warnings, samples: assembled.samples };
  });
}

/** Makes `dest` hold exactly what `src` holds, writing only files whose bytes changed (so live reload sees only real edits). */
export async function syncTree(src: string, dest: string): Promise<void> {
  const wanted = new Set(await fg('**/*', { cwd: src, dot: true, onlyFiles: true }));
  const present = existsSync(dest) ? await fg('**/*', { cwd: dest, dot: true, onlyFiles: true }) : [];
  for (const file of present) if (!wanted.has(file)) await rm(join(dest, file), { force: true });
  for (const file of wanted) {
    const data = await readFile(join(src, file));
    const target = join(dest, file);
    if (existsSync(target) && (await readFile(target)).equals(data)) continue;
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, data);
  }
}

/** Assembles and prepares the guide into `siteSource` (updated in place, changed files only). */
export async function refreshSiteSource(sources: GuideSources, scratch: string, siteSource: string, log: GuideLog = consoleLog): Promise<SplitResult> {
  const assembled = await assembleGuide(sources, join(scratch, 'assemble'), log);
  const fresh = join(scratch, 'fresh');
  await rm(fresh, { recursive: true, force: true });
  await mkdir(fresh, { recursive: true });
  const merged = join(fresh, MERGED_NAME);
  await writeFile(merged, assembled.markdown);
  const split = await prepareSite(sources, merged, join(fresh, 'site'), log);
  await syncTree(join(fresh, 'site'), siteSource);
  return split;
}

/** The folders and files a preview watches for edits. */
export function watchedSources(sources: GuideSources): string[] {
  const paths = [sources.userGuideDir, sources.mkdocsDir, sources.cfdocDir, sources.imgDir, ...sources.templates];
  if (sources.samplesScript) paths.push(dirname(sources.samplesScript));
  return paths.filter((p) => existsSync(p));
}

/** Runs `mkdocs serve` on the prepared `siteSource` until `options.cancelSignal` aborts or mkdocs exits. */
export async function serveGuide(
  sources: GuideSources,
  siteSource: string,
  address: string,
  options: Pick<RunOptions, 'cancelSignal'> = {},
): Promise<void> {
  const mkdocs = pythonTool(sources.workspaceRoot, 'mkdocs');
  await run(mkdocs, serveArgs(join(siteSource, 'mkdocs.yml'), address), {
    cwd: sources.projectDir,
    // mkdocs serve builds into a temp dir it removes only on Ctrl-C: beside the prepared pages,
    // in our scratch dir, it goes whatever stops it.
    env: { ...guideEnv(sources), TMPDIR: dirname(siteSource) },
    label: 'mkdocs serve',
    cancelSignal: options.cancelSignal,
  });
}
