// The tree's own image checks, run as make's `check` ran them: from the docker folder,
// `common/img-check.sh -p <platform> <image>` for each platform and type, against the
// image in the engine (the script runs `docker run --pull never`, so each is pulled
// first, by the digest this graph built, and tagged as the name the script is given).
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import type { ImageRecord, ImageType } from './build';
import type { Platform } from '../core/platform';
import { run } from '../core/process';

/** The real tree's checks: `common/img-check.sh -p <platform> <image>`, per platform and type. */
export const IMG_CHECK_SCRIPT = 'common/img-check.sh';

export function imgCheckScript(workspaceRoot: string, dockerRoot: string): string | undefined {
  const script = join(workspaceRoot, dockerRoot, IMG_CHECK_SCRIPT);
  return existsSync(script) ? script : undefined;
}

/** make's argv: `common/img-check.sh -p <platform> localhost:5001/lava/<os>/<type>`, from the docker folder. */
export function imgCheckArgs(platform: Platform, image: string): string[] {
  return [IMG_CHECK_SCRIPT, '-p', platform.docker, image];
}

/**
 * The real script's SSL check asks the HOST's `openssl --version`, which OpenSSL 3.0 (Debian 12)
 * does not accept. A shim on PATH answers it as `openssl version` and passes anything else on,
 * so the check reads what it was written to read; on hosts whose openssl knows --version it is not used.
 */
export async function opensslShim(dir: string): Promise<Record<string, string> | undefined> {
  try {
    await run('openssl', ['--version'], { stream: false, label: 'openssl --version' });
    return undefined;
  } catch {
    // falls through: this openssl needs the shim
  }
  await mkdir(dir, { recursive: true });
  const real = (await run('sh', ['-c', 'command -v openssl'], { stream: false, label: 'command -v openssl' }).catch(() => ({ stdout: '' }))).stdout.trim();
  if (!real) return undefined;
  await writeFile(join(dir, 'openssl'), `#!/bin/sh\n# openssl --version for OpenSSL 3.0, which only knows "openssl version"\n[ "$1" = --version ] && exec ${real} version\nexec ${real} "$@"\n`);
  await chmod(join(dir, 'openssl'), 0o755);
  return { PATH: `${dir}:${process.env.PATH ?? ''}` };
}

/** Pulls the built index for one platform and names it as img-check.sh expects (`<image>`, i.e. :latest). */
export async function pullForCheck(record: ImageRecord, platform: Platform): Promise<void> {
  const pinned = `${record.image}@${record.digest}`;
  await run('docker', ['pull', '--quiet', '--platform', platform.docker, pinned], { stream: false, label: `docker pull ${pinned} (${platform.docker})` });
  await run('docker', ['tag', pinned, `${record.image}:latest`], { stream: false, label: `docker tag ${record.image}:latest` });
}

export interface ImgCheckRun {
  type: ImageType;
  platform: Platform;
  ok: boolean;
  /** The script's last line (its summary). */
  summary: string;
  /** Checks the script defines for this type, and those it reported running (real tree's script only). */
  defined?: number;
  ran?: number;
}

/**
 * How many `chk_base_*` (and, for full, `chk_full_*`) functions the real script defines. Under
 * bash >= 4.4 its `read -ra checks <<< $(…)` reads only the first line of the function list
 * (here-strings are no longer word-split; macOS's bash 3.2 still splits them), so it runs fewer.
 */
export function definedChecks(scriptText: string, type: ImageType): number {
  const count = (kind: string) => (scriptText.match(new RegExp(`^function chk_${kind}_\\w+`, 'gm')) ?? []).length;
  return count('base') + (type === 'full' ? count('full') : 0);
}

/** Checks the real script reported: its `✅ chk_… passed` / `❌ chk_… failed` lines. */
export function reportedChecks(output: string): number {
  return (output.match(/(✅|❌) chk_\w+ (passed|failed)/g) ?? []).length;
}

export async function runImgCheck(
  workspaceRoot: string,
  dockerRoot: string,
  record: ImageRecord,
  type: ImageType,
  platform: Platform,
  env: Record<string, string> | undefined,
): Promise<ImgCheckRun> {
  await pullForCheck(record, platform);
  const defined = definedChecks(readFileSync(join(workspaceRoot, dockerRoot, IMG_CHECK_SCRIPT), 'utf8'), type);
  try {
    const result = await run('bash', imgCheckArgs(platform, record.image), { cwd: join(workspaceRoot, dockerRoot), env, label: `${IMG_CHECK_SCRIPT} -p ${platform.docker} ${record.image}` });
    const ran = reportedChecks(result.stdout);
    return { type, platform, ok: true, summary: lastLine(result.stdout), ...(defined > 0 ? { defined, ran } : {}) };
  } catch (error) {
    const detail = (error as { detail?: string }).detail ?? String(error);
    return { type, platform, ok: false, summary: lastLine(detail) };
  }
}

function lastLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  const lines = stripVTControlCharacters(text).split('\n').map((l) => l.trim()).filter((l) => l && !/^-+$/.test(l));
  return lines.at(-1) ?? '';
}
