// Nothing partial, nothing orphaned, even after `kill -9`. Three kinds of leftovers, each named
// after the process that owns it, so that a later run can tell a dead owner's from a live one's:
//   * staging files beside an output (`.<name>.<pid>-<time>-<rand>.tmp`, lib/core/fs.ts): removed by
//     the next atomic write into the same directory, and by ./build.sh over all of dist/;
//   * scratch directories (`<tmp>/lava-<what>-p<pid>-XXXXXX`, lib/core/fs.ts withTempDir): removed by
//     the next scratch directory any lava task makes;
//   * containers (`docker run` through lib/core/process.ts): labelled `lava.owner=<host>/<pid>`; a
//     detached watchdog removes them as soon as their owner (or the nx that runs it) dies, and the
//     next container run removes, and names, any whose owner is gone.
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** A staging file of lib/core/fs.ts: its owner's pid is the first field after the target's name. */
export const STAGING = /^\..+\.(\d+)-[0-9a-z]+-[0-9a-z]+\.tmp$/;
/** A scratch directory of lib/core/fs.ts withTempDir. */
export const SCRATCH = /^lava-[\w.-]+-p(\d+)-[A-Za-z0-9]{6}$/;
export const OWNER_LABEL = 'lava.owner';

/**
 * Is a process with this pid alive (on this host)? A pid we may not signal is someone's: alive.
 * A zombie is dead: a writer killed with its nx waits, signalable, until init reaps it, which can
 * take seconds, and its leftovers are already orphaned.
 */
export function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // /proc/<pid>/stat: "pid (comm) state …"; comm may hold spaces and parentheses, the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (not Linux): the signal said it is there
  }
}

/** Removes the entries of `dir` that `pattern` matches (pid in group 1) whose owner is dead; returns their names. */
export async function sweepDead(dir: string, pattern: RegExp): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const dead = names.filter((name) => {
    const pid = pattern.exec(name)?.[1];
    return pid !== undefined && Number(pid) !== process.pid && !alive(Number(pid));
  });
  await Promise.all(dead.map((name) => rm(join(dir, name), { recursive: true, force: true })));
  return dead;
}

/** Staging files of dead writers anywhere under `root` (dist/); returns their paths relative to it. */
export async function sweepStagingTree(root: string): Promise<string[]> {
  const removed: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const name of await sweepDead(dir, STAGING)) removed.push(rel ? `${rel}/${name}` : name);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) if (e.isDirectory() && !STAGING.test(e.name)) await walk(join(dir, e.name), rel ? `${rel}/${e.name}` : e.name);
  };
  await walk(root, '');
  return removed;
}

/** Scratch directories of dead lava processes in the temp directory. */
export function sweepScratch(dir = tmpdir()): Promise<string[]> {
  return sweepDead(dir, SCRATCH);
}

/** `lava.owner` of the containers this process starts. */
export function ownerLabel(pid = process.pid): string {
  return `${OWNER_LABEL}=${hostname()}/${pid}`;
}

/** `docker run` argv with our owner label added (after `run`); anything else unchanged. */
export function labelled(args: readonly string[]): string[] {
  if (args[0] !== 'run') return [...args];
  return ['run', '--label', ownerLabel(), ...args.slice(1)];
}

// The watchdog: a detached node that polls the owner and its parent (nx) and, when either is
// gone, removes every container carrying the owner's label. Plain JS: it runs without our loader.
const WATCHDOG = `
const { execFileSync } = require('node:child_process');
const [label, ...pids] = process.argv.slice(1);
const alive = (pid) => { try { process.kill(Number(pid), 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const sweep = () => {
  try {
    const ids = execFileSync('docker', ['ps', '-aq', '--filter', 'label=' + label], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split(/\\s+/).filter(Boolean);
    if (ids.length) execFileSync('docker', ['rm', '-f', ...ids], { stdio: 'ignore' });
  } catch {}
};
const timer = setInterval(() => { if (!pids.every(alive)) { clearInterval(timer); sweep(); process.exit(0); } }, 500);
`;

let watchdogStarted = false;

/** Starts (once per process) the watchdog that removes our containers when we or our parent die. */
export function guardContainers(): void {
  if (watchdogStarted) return;
  watchdogStarted = true;
  const pids = [process.pid, process.ppid].filter((pid) => pid > 1);
  const child = spawn(process.execPath, ['-e', WATCHDOG, ownerLabel(), ...pids.map(String)], { detached: true, stdio: 'ignore', env: process.env });
  child.unref();
}

const exec = promisify(execFile);

/** Containers labelled by a lava process on this host that is gone: removed; returns `<name> (pid N)` each. */
export async function sweepContainers(): Promise<string[]> {
  let listing: string;
  try {
    listing = (await exec('docker', ['ps', '-a', '--filter', `label=${OWNER_LABEL}`, '--format', `{{.ID}} {{.Names}} {{.Label "${OWNER_LABEL}"}}`], { timeout: 10_000 })).stdout;
  } catch {
    return [];
  }
  const host = hostname();
  const orphans = listing
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([id, , owner]) => id && owner?.startsWith(`${host}/`) && !alive(Number(owner.slice(host.length + 1))));
  if (orphans.length === 0) return [];
  await exec('docker', ['rm', '-f', ...orphans.map(([id]) => id)], { timeout: 30_000 }).catch(() => undefined);
  return orphans.map(([, name, owner]) => `${name} (pid ${owner.slice(host.length + 1)})`);
}

/** Before a container run: remove (and say so) what killed builds left, then guard ours. */
export async function beforeContainerRun(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<void> {
  const removed = await sweepContainers();
  if (removed.length) log(`removed ${removed.length} container(s) left by a killed build: ${removed.join(', ')}`);
  guardContainers();
}
