// CloudFormation templates: the sources in a cfn project are not deployable;
// building injects the lava version into Parameters.Version, as make's
// `json-inject -d Parameters.Version.Default=<v> -j Parameters.Version.AllowedValues='["<v>"]'` did.
import { readdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { BuildError } from '../core/errors';
import { javaPattern } from './java-regex';
import { dumpJsonLikePython, JsonNumber, parseJson, type JsonValue } from '../core/json';

export const TEMPLATE_SUFFIX = '.cfn.json';

/** Template file names (`lava-realm.cfn.json`) in `dir`, byte-ordered. */
export function templateFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(TEMPLATE_SUFFIX))
    .sort();
}

export function templateName(file: string): string {
  return file.slice(0, -TEMPLATE_SUFFIX.length);
}

type JsonObject = { [key: string]: JsonValue };
const isObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber);

export interface BuiltTemplate {
  /** The deployable template, serialised byte for byte as json-inject wrote it. */
  text: string;
  /** One line saying which check could not run and why (the template is still built). */
  skipped?: string;
}

/**
 * The built template: version injected. The version is first checked against the
 * template's own Version AllowedPattern, a Java regex that CloudFormation matches
 * against the whole value at deploy time; a pattern JavaScript cannot express
 * skips the check (and says so) rather than failing the build.
 */
export function buildTemplate(sourceText: string, file: string, version: string): BuiltTemplate {
  const template = parseJson(sourceText, file);
  const parameters = isObject(template) ? template.Parameters : undefined;
  const versionParameter = isObject(parameters) ? parameters.Version : undefined;
  if (!isObject(versionParameter)) {
    throw new BuildError(`${file}: no Parameters.Version; every lava template declares a Version parameter for the build to set`);
  }
  let skipped: string | undefined;
  const pattern = versionParameter.AllowedPattern;
  if (typeof pattern === 'string') {
    const check = javaPattern(pattern);
    if ('unsupported' in check) {
      skipped = `${file}: Parameters.Version: version ${version} not checked against AllowedPattern ${pattern} (${check.unsupported}: no exact JavaScript translation); CloudFormation checks it at deploy time`;
    } else if (!check.regex.test(version)) {
      throw new BuildError(
        `${file}: version ${version} does not match Parameters.Version.AllowedPattern ${pattern}; widen the pattern or fix packages/lava/lava/VERSION.json`,
      );
    }
  }
  versionParameter.Default = version;
  versionParameter.AllowedValues = [version];
  return { text: dumpJsonLikePython(template), ...(skipped ? { skipped } : {}) };
}

export interface CfnPaths {
  /** Where the template sources are (absolute). */
  sourceDir: string;
  /** Where built templates and their docs go (absolute). */
  outputDir: string;
  /** Template file names in sourceDir. */
  files: string[];
}

/** Resolves the source and output directories every cfn executor shares, and lists the templates. */
export function cfnPaths(workspaceRoot: string, sourceDir: string, outputPath: string): CfnPaths {
  const abs = (path: string) => (isAbsolute(path) ? path : join(workspaceRoot, path));
  const paths = { sourceDir: abs(sourceDir), outputDir: abs(outputPath) };
  let files: string[];
  try {
    files = templateFiles(paths.sourceDir);
  } catch {
    throw new BuildError(`template directory ${sourceDir} does not exist`);
  }
  if (files.length === 0) throw new BuildError(`no *${TEMPLATE_SUFFIX} templates in ${sourceDir}`);
  return { ...paths, files };
}
