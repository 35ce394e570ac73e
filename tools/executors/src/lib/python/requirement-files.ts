// Which files an install reads: the requirement files and those they name with `-r`/`-c`
// (relative to the naming file, as pip resolves them). A BuildKit node is sent these, not the
// whole workspace.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative } from 'node:path';

const REFERENCE = /^\s*(?:-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+)(\S+)/;

/**
 * `files` (relative to `root`) and every file they reference, transitively, in first-seen order.
 * References outside `root`, absolute or to URLs are left out: the install reaches them the way it would
 * anyway, or fails naming them.
 */
export function requirementFileClosure(root: string, files: readonly string[]): string[] {
  const seen: string[] = [];
  const visit = (file: string) => {
    const path = normalize(file);
    if (seen.includes(path) || path.startsWith('..') || !existsSync(join(root, path))) return;
    seen.push(path);
    for (const line of readFileSync(join(root, path), 'utf8').split('\n')) {
      const named = REFERENCE.exec(line)?.[1];
      if (!named || isAbsolute(named) || /^[a-z][a-z0-9+.-]*:\/\//i.test(named)) continue;
      visit(relative(root, join(root, dirname(path), named)));
    }
  };
  for (const file of files) visit(file);
  return seen;
}
