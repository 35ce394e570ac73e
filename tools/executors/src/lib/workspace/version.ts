// The single source of the lava version: packages/lava/lava/VERSION.json, in the
// real lava's format, so dropping in the real lava tree changes nothing here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuildError } from '../core/errors';

export const VERSION_FILE = 'packages/lava/lava/VERSION.json';

export interface LavaVersion {
  /** `8.2.0` */
  num: string;
  /** `Kilauea` */
  name: string;
  /** `8.2.0 (Kilauea)`, what `version.py --all` prints */
  full: string;
}

// PEP 440 public versions, which is what lava/version.py accepts.
const PEP440 = /^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$/;

export function parseVersion(text: string, source = VERSION_FILE): LavaVersion {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new BuildError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  const record = (data ?? {}) as Record<string, unknown>;
  const num = record.__version_num__;
  const name = record.__version_name__;
  if (typeof num !== 'string' || !PEP440.test(num)) {
    throw new BuildError(`${source}: "__version_num__" must be a PEP 440 version such as "8.2.0", got ${JSON.stringify(num)}`);
  }
  if (typeof name !== 'string' || name.trim() === '') {
    throw new BuildError(`${source}: "__version_name__" must be a non-empty string, got ${JSON.stringify(name)}`);
  }
  return { num, name, full: `${num} (${name})` };
}

export function readVersion(workspaceRoot: string): LavaVersion {
  const file = join(workspaceRoot, VERSION_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new BuildError(`version file ${VERSION_FILE} is missing`, {
      fix: `git checkout -- ${VERSION_FILE}`,
    });
  }
  return parseVersion(text);
}
