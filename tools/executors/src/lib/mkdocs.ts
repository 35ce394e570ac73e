// The user guide: mkdocs from the workspace Python environment, with the
// CloudFormation reference pages rendered by cfdoc from the built templates
// into a scratch directory that the guide's hook (packages/docs/hooks.py)
// adds to the site. The hook's two environment variables are the whole
// contract between this module and the guide.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, isAbsolute, join, relative } from 'node:path';
import fg from 'fast-glob';
import { archiveEpoch } from './archive';
import { BuildError, isBuildError } from './errors';
import { writeAtomically } from './fs';
import { run, type RunOptions } from './process';
import { pythonTool } from './python';
import type { LavaVersion } from './version';

export const CFDOC_FORMAT = 'md-mkdocs';
const TEMPLATE_SUFFIX = '.cfn.json';

export interface GuideSources {
  workspaceRoot: string;
  /** mkdocs.yml, absolute. */
  configFile: string;
  /** The directory holding `md-mkdocs.jinja2` (cfdoc's CFDOCPATH), absolute. */
  cfdocDir: string;
  /** The built templates, absolute (dist/cfn/<name>.cfn.json). */
  templates: readonly string[];
  /** Where the reference pages go in the site, e.g. `reference/cfn`. */
  referenceDir: string;
  version: LavaVersion;
}

/** Template names in byte order (`lava-common` for `…/lava-common.cfn.json`); never locale order. */
export function templateNames(templates: readonly string[]): { name: string; file: string }[] {
  return templates
    .map((file) => ({ name: basename(file).slice(0, -TEMPLATE_SUFFIX.length), file }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Renders one reference page per built template into `<outDir>/<referenceDir>/<name>.md`. */
export async function renderCfnPages(sources: GuideSources, outDir: string): Promise<string[]> {
  const bad = sources.templates.filter((file) => !file.endsWith(TEMPLATE_SUFFIX));
  if (bad.length) throw new BuildError(`not built CloudFormation templates (want *${TEMPLATE_SUFFIX}): ${bad.join(', ')}`);
  if (sources.templates.length === 0) {
    throw new BuildError('no built CloudFormation templates in dist/cfn', { fix: 'npx nx run cfn:build' });
  }
  const cfdoc = pythonTool(sources.workspaceRoot, 'cfdoc');
  const dir = join(outDir, sources.referenceDir);
  await mkdir(dir, { recursive: true });
  const pages: string[] = [];
  for (const { name, file } of templateNames(sources.templates)) {
    const { stdout } = await run(cfdoc, ['--format', CFDOC_FORMAT, '--name', name, file], {
      env: { CFDOCPATH: sources.cfdocDir },
      stream: false,
      label: `cfdoc ${name}`,
    });
    const page = join(dir, `${name}.md`);
    await writeFile(page, stdout);
    pages.push(page);
  }
  return pages;
}

/** The environment mkdocs runs with: what the guide's hook reads. */
export function guideEnv(version: LavaVersion, generatedDir: string): Record<string, string> {
  return {
    LAVA_DOCS_VERSION: version.full,
    LAVA_DOCS_GENERATED: generatedDir,
    // Material's end-of-life banner would otherwise open every build log.
    NO_MKDOCS_2_WARNING: '1',
    // mkdocs stamps sitemap.xml.gz with the build date; a fixed one keeps the site reproducible.
    SOURCE_DATE_EPOCH: String(archiveEpoch()),
  };
}

export function buildArgs(configFile: string, siteDir: string): string[] {
  return ['build', '--strict', '--clean', '--config-file', configFile, '--site-dir', siteDir];
}

export function serveArgs(configFile: string, address: string): string[] {
  return ['serve', '--config-file', configFile, '--dev-addr', address, '--livereload'];
}

/**
 * The first problem mkdocs reported, for the one-line error: strict mode turns
 * warnings into the failure, so the first WARNING or ERROR line is the cause.
 */
export function firstProblem(output: string): string | undefined {
  const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');
  const lines = output.split('\n').map(plain);
  for (let i = 0; i < lines.length; i++) {
    const match = /^(WARNING|ERROR)\s+-\s+(.*)$/.exec(lines[i].trim());
    if (!match) continue;
    // mkdocs lists the pages a warning is about on the lines below it ("  - orphan.md").
    const items: string[] = [];
    for (let j = i + 1; j < lines.length && /^\s+- /.test(lines[j]); j++) items.push(lines[j].trim().slice(2));
    const problem = match[2].trim().replace(/\.$/, '');
    return items.length ? `${problem} ${items.join(', ')}` : problem;
  }
  return undefined;
}

/** Builds the site into `siteDir`, whole or not at all; reference pages are made in `scratch`. */
export async function buildGuide(sources: GuideSources, siteDir: string, scratch: string): Promise<void> {
  const mkdocs = pythonTool(sources.workspaceRoot, 'mkdocs');
  await renderCfnPages(sources, scratch);
  await writeAtomically(siteDir, async (staging) => {
    try {
      await run(mkdocs, buildArgs(sources.configFile, staging), {
        cwd: sources.workspaceRoot,
        env: guideEnv(sources.version, scratch),
        label: 'mkdocs build',
      });
    } catch (error) {
      const problem = isBuildError(error) ? firstProblem(error.detail ?? '') : undefined;
      if (!problem) throw error;
      throw new BuildError(`mkdocs (strict): ${problem}`, {
        fix: 'correct the page, then npx nx run docs:build',
        detail: error instanceof BuildError ? error.detail : undefined,
      });
    }
  });
}

/** Runs `mkdocs serve` on `address` until `options.cancelSignal` aborts or mkdocs exits. */
export async function serveGuide(
  sources: GuideSources,
  address: string,
  scratch: string,
  options: Pick<RunOptions, 'cancelSignal'> = {},
): Promise<void> {
  const mkdocs = pythonTool(sources.workspaceRoot, 'mkdocs');
  await renderCfnPages(sources, scratch);
  await run(mkdocs, serveArgs(sources.configFile, address), {
    cwd: sources.workspaceRoot,
    // mkdocs serve builds into a temp dir it removes only on Ctrl-C: under our scratch dir it goes whatever stops it.
    env: { ...guideEnv(sources.version, scratch), TMPDIR: scratch },
    label: 'mkdocs serve',
    cancelSignal: options.cancelSignal,
  });
}

export interface GuideOptions {
  /** mkdocs.yml, relative to the workspace root (default `<projectRoot>/mkdocs.yml`). */
  config?: string;
  /** The directory holding cfdoc's `md-mkdocs.jinja2` (default `<projectRoot>/cfdoc`). */
  cfdocDir?: string;
  /** Glob of the built templates, relative to the workspace root. */
  templates?: string;
  referenceDir?: string;
}

/** Resolves a guide target's options against the workspace and project roots. */
export function guideSources(workspaceRoot: string, projectDir: string, options: GuideOptions, version: LavaVersion): GuideSources {
  const abs = (path: string) => (isAbsolute(path) ? path : join(workspaceRoot, path));
  const configFile = abs(options.config ?? join(projectDir, 'mkdocs.yml'));
  if (!existsSync(configFile)) throw new BuildError(`no mkdocs configuration at ${relative(workspaceRoot, configFile)}`);
  const pattern = options.templates ?? 'dist/cfn/*.cfn.json';
  const templates = fg.sync(pattern, { cwd: workspaceRoot, absolute: true, onlyFiles: true });
  return {
    workspaceRoot,
    configFile,
    cfdocDir: abs(options.cfdocDir ?? join(projectDir, 'cfdoc')),
    templates,
    referenceDir: options.referenceDir ?? 'reference/cfn',
    version,
  };
}
