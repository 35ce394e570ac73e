// Oracle Instant Client zips in external-packages/oracle (make's `make oracle`,
// etc/oracle-pkg-sync.sh): versioned files plus unversioned links to the newest.
import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fetchTo, headRemote, matchesRemote } from '../core/download';
import { BuildError } from '../core/errors';
import { stagingPathFor } from '../core/fs';
import { PLATFORMS, type Platform } from '../core/platform';
import { run } from '../core/process';

export const ORACLE_DIR = 'external-packages/oracle';
export const ORACLE_BASE_URL = 'https://download.oracle.com/otn_software/linux/instantclient/';
export const ORACLE_SYNC_TARGET = 'oracle:sync';
export const ORACLE_TYPES = ['basic', 'basiclite', 'sqlplus'] as const;
export type OracleType = (typeof ORACLE_TYPES)[number];
/** What the `full` docker images install (make's config.sh ORACLE_TYPE=basiclite, plus SQL*Plus). */
export const IMAGE_ORACLE_TYPES: readonly OracleType[] = ['basiclite', 'sqlplus'];

export interface OracleAsset {
  type: OracleType;
  platform: Platform;
  /** Oracle's download name: x64 is spelled `linuxx64`, arm64 `linux-arm64`. */
  remoteName: string;
  /** The unversioned local name (a link): `instantclient-basic-linux-x64.zip`. */
  linkName: string;
}

export function oracleAsset(type: OracleType, platform: Platform): OracleAsset {
  const remoteArch = platform.oracle === 'x64' ? 'linuxx64' : `linux-${platform.oracle}`;
  return {
    type,
    platform,
    remoteName: `instantclient-${type}-${remoteArch}.zip`,
    linkName: `instantclient-${type}-linux-${platform.oracle}.zip`,
  };
}

export function versionedName(asset: OracleAsset, version: string): string {
  return asset.linkName.replace(/\.zip$/, `-${version}.zip`);
}

export function oracleAssets(types: readonly string[] = ORACLE_TYPES, platforms: readonly Platform[] = PLATFORMS): OracleAsset[] {
  for (const type of types) {
    if (!(ORACLE_TYPES as readonly string[]).includes(type)) {
      throw new BuildError(`unknown Instant Client type "${type}"; known: ${ORACLE_TYPES.join(', ')}`);
    }
  }
  return types.flatMap((type) => platforms.map((p) => oracleAsset(type as OracleType, p)));
}

/** `instantclient_23_8/` → `23.8`: the version is the zip's single top directory. */
export function versionFromEntries(entries: readonly string[], source: string): string {
  const tops = new Set(entries.filter(Boolean).map((e) => e.split('/')[0]));
  const match = tops.size === 1 ? /^instantclient_(\d+)_(\d+)$/.exec([...tops][0]) : null;
  if (!match) {
    throw new BuildError(`${source} is not an Instant Client zip: its top level is ${[...tops].join(', ') || 'empty'}, expected one instantclient_<maj>_<min>/ directory`);
  }
  return `${match[1]}.${match[2]}`;
}

export async function zipVersion(path: string, source = basename(path)): Promise<string> {
  const listing = await run('unzip', ['-Z1', path], { stream: false, missingHint: 'apt-get install unzip', label: `listing ${source}` });
  return versionFromEntries(listing.stdout.split('\n'), source);
}

export interface SyncOptions {
  directory: string;
  baseUrl: string;
  types?: readonly string[];
  platforms?: readonly Platform[];
  log?: (line: string) => void;
}

export interface SyncResult {
  link: string;
  file: string;
  version: string;
  downloaded: boolean;
}

function assetUrl(baseUrl: string, name: string): string {
  return new URL(name, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).toString();
}

async function currentTarget(dir: string, asset: OracleAsset): Promise<string | undefined> {
  const link = join(dir, asset.linkName);
  let info;
  try {
    info = await lstat(link);
  } catch {
    return undefined;
  }
  if (!info.isSymbolicLink()) {
    throw new BuildError(`${link} is a real file, not a link to a versioned zip`, {
      fix: `mv ${link} ${link}.old && npx nx run ${ORACLE_SYNC_TARGET}`,
    });
  }
  const target = resolve(dir, await readlink(link));
  return existsSync(target) ? target : undefined;
}

/** Replaces (or creates) a link atomically: a new link beside it, renamed over it. */
async function pointLink(dir: string, linkName: string, targetName: string): Promise<void> {
  const link = join(dir, linkName);
  const staging = stagingPathFor(link);
  await symlink(targetName, staging);
  try {
    await rename(staging, link);
  } catch (error) {
    await rm(staging, { force: true });
    throw error;
  }
}

/** A killed run leaves its staging files (dot-names ending .tmp); the next run removes them. */
async function removeStaleStaging(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (name.startsWith('.instantclient-') && name.endsWith('.tmp')) await rm(join(dir, name), { force: true });
  }
}

export async function syncOracle(options: SyncOptions): Promise<SyncResult[]> {
  const dir = resolve(options.directory);
  const log = options.log ?? (() => undefined);
  // A command, not advice (the README's "Without network" says where a mirror or hand-copied zips go).
  const fix = `npx nx run ${ORACLE_SYNC_TARGET} --baseUrl=<mirror>`;
  const assets = oracleAssets(options.types, options.platforms);
  await mkdir(dir, { recursive: true });
  await removeStaleStaging(dir);
  const results: SyncResult[] = [];
  for (const asset of assets) {
    const remote = await headRemote(assetUrl(options.baseUrl, asset.remoteName), fix);
    const current = await currentTarget(dir, asset);
    if (current && (await matchesRemote(current, remote))) {
      const version = /-(\d+\.\d+)\.zip$/.exec(current)?.[1] ?? (await zipVersion(current));
      log(`${asset.linkName} -> ${basename(current)}: up to date`);
      results.push({ link: asset.linkName, file: basename(current), version, downloaded: false });
      continue;
    }
    const staging = stagingPathFor(join(dir, asset.linkName));
    try {
      await fetchTo(remote, staging, fix);
      const version = await zipVersion(staging, asset.remoteName);
      const file = versionedName(asset, version);
      await rename(staging, join(dir, file));
      await pointLink(dir, asset.linkName, file);
      log(`${asset.linkName} -> ${file}: downloaded (${remote.size} bytes)`);
      results.push({ link: asset.linkName, file, version, downloaded: true });
    } finally {
      await rm(staging, { force: true });
    }
  }
  return results;
}

/** The zips a `full` image copies, each resolved through its link; fails naming oracle:sync. */
export function imageOracleZips(directory: string, platforms: readonly Platform[] = PLATFORMS): string[] {
  const missing: string[] = [];
  const found: string[] = [];
  for (const asset of oracleAssets(IMAGE_ORACLE_TYPES, platforms)) {
    const path = join(directory, asset.linkName);
    (existsSync(path) ? found : missing).push(path);
  }
  if (missing.length) {
    throw new BuildError(`no Oracle Instant Client zips for the full image: ${missing.map((m) => basename(m)).join(', ')} missing in ${directory}`, {
      fix: `npx nx run ${ORACLE_SYNC_TARGET}`,
    });
  }
  return found;
}
