// Files a user can edit (or break): YAML and JSON configuration, the image records and buildx metadata under
// dist/, nx.json's plugin options. A malformed one fails with `file:line: what is wrong` and the
// fix, on one line; never a parser's stack trace.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type * as Yaml from 'yaml';
import { BuildError } from './errors';
import { parseJson } from './json';

/** 1-based line of a 0-based offset in `text`. */
export function lineAt(text: string, offset: number): number {
  return text.slice(0, Math.max(0, offset)).split('\n').length;
}

/** `file` as a user would type it: relative to the workspace when under it. */
export function shown(file: string, workspaceRoot?: string): string {
  if (!workspaceRoot) return file;
  const rel = relative(workspaceRoot, file);
  return rel && !rel.startsWith('..') ? rel : file;
}

/** JSON.parse with `file:line:column: invalid JSON: <reason>` for a malformed file. */
export function parseJsonFile<T = unknown>(text: string, file: string, fix?: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    if (text.trim() === '') throw new BuildError(`${file}:1: invalid JSON: the file is empty`, fix ? { fix } : {});
    // Node 20's JSON.parse names no position; lib/core/json.ts's parser does.
    try {
      parseJson(text, file);
    } catch (located) {
      if (located instanceof BuildError) throw new BuildError(located.problem, fix ? { fix } : {});
    }
    throw new BuildError(`${file}:1: invalid JSON: ${String((error as Error).message).split('\n')[0]}`, fix ? { fix } : {});
  }
}

/** YAML parse with `file:line: invalid YAML: <reason>` (the first error) for a malformed file. */
export function parseYamlFile<T = unknown>(text: string, file: string, fix?: string): T {
  // yaml is loaded on first use: the project graph imports this module for its JSON checks.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseDocument } = require('yaml') as typeof Yaml;
  const doc = parseDocument(text, { prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line ?? lineAt(text, first.pos[0]);
    const reason = first.message.split('\n')[0].replace(/\s+at line \d+, column \d+:?$/, '');
    throw new BuildError(`${file}:${line}: invalid YAML: ${reason}`, fix ? { fix } : {});
  }
  return doc.toJS() as T;
}

/** Reads and parses a JSON file (absolute `path`), naming it as `shownAs`. */
export function readJsonFile<T = unknown>(path: string, shownAs = path, fix?: string): T {
  return parseJsonFile<T>(readFileSync(path, 'utf8'), shownAs, fix);
}

/** `record`: an object of strings, `{ "<name>": "<value>" }`. */
export type OptionType = 'string' | 'boolean' | 'number' | 'string[]' | 'record';

function isOfType(value: unknown, type: OptionType): boolean {
  if (type === 'string[]') return Array.isArray(value) && value.every((v) => typeof v === 'string');
  if (type === 'record') return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
  return typeof value === type;
}

/**
 * Checks a createNodes plugin's options from nx.json: a wrong type or an unknown name fails with
 * `nx.json:<line of the plugin entry>: <plugin>: <problem>`.
 */
export function checkPluginOptions(
  workspaceRoot: string,
  plugin: string,
  options: unknown,
  known: Readonly<Record<string, OptionType>>,
): void {
  if (options === undefined || options === null) return;
  const problems: string[] = [];
  if (typeof options !== 'object' || Array.isArray(options)) {
    problems.push('"options" must be an object');
  } else {
    for (const [name, value] of Object.entries(options)) {
      const type = known[name];
      if (!type) problems.push(`unknown option "${name}" (known: ${Object.keys(known).join(', ')})`);
      else if (!isOfType(value, type)) {
        const what = type === 'string[]' ? 'list of strings' : type === 'record' ? 'object of strings' : type;
        problems.push(`option "${name}" must be a${/^[aeiou]/.test(what) ? 'n' : ''} ${what}, not ${JSON.stringify(value)}`);
      }
    }
  }
  if (problems.length === 0) return;
  let line = 1;
  let shown = plugin;
  try {
    const text = readFileSync(join(workspaceRoot, 'nx.json'), 'utf8');
    // nx.json names a plugin by its source or by the JavaScript entry that loads it (plugins/<name>.js).
    for (const name of [plugin, plugin.replace(/\/src\/plugins\/([^/]+)\.ts$/, '/plugins/$1.js')]) {
      const at = text.indexOf(`"${name}"`);
      if (at < 0) continue;
      line = lineAt(text, at);
      shown = name;
      break;
    }
  } catch {
    // No nx.json to point into: line 1 of the name is still the place to look.
  }
  throw new BuildError(`nx.json:${line}: ${shown}: ${problems[0]}`, { fix: 'fix the plugin entry in nx.json' });
}
