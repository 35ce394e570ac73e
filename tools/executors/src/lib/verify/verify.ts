// `./build.sh verify` (reproducibility:verify): proof that the build's archives are reproducible.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { BuildError } from '../core/errors';
import { sweepScratch } from '../core/sweep';
import { ENGINE_SCRIPT } from '../docker/cli';
import { compareArtefacts, listArtefacts, taskOutputsFromGraph } from './artefacts';
import { buildEnv, makeClone, probeUser, resolveUser, wrapped, type CloneSpec } from './clones';
import { buildOutcome, type Skip } from './outcome';
import { renderReport, verifyExitStatus, type BuildSetting, type VerifyReport } from './report';
import { planFromGraph, runRecords } from '../workspace/build-summary';

export interface VerifyOptions {
  /** Projects (names or nx patterns) built in both clones; a comma-separated string works too. */
  projects?: string[] | string;
  /** Targets built in both clones; a comma-separated string works too. */
  targets?: string[] | string;
  /** The user the second build runs as, when run as root and that user can run the tools. */
  user?: string;
  workDir?: string;
  keep?: boolean;
  reportDir?: string;
}

const DOCKER_TAGS = ['type:builder', 'type:lambda', 'type:docker-image'];
const ENGINE_FIX = 'eval "$(sudo tools/docker-engine/engine.sh up)", then ./build.sh verify';
/** What clone B's sources are set to: any time far from a checkout's "now" does. */
const SOURCES_TIME = new Date('2001-02-03T04:05:06Z');

const list = (value: string[] | string | undefined, fallback: string[]) =>
  (value === undefined ? fallback : Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);

export function normalizeOptions(options: VerifyOptions) {
  return {
    projects: list(options.projects, ['cfn', 'worker-bundle', 'jinlava', 'job-framework', 'docs', 'lambda-*']),
    targets: list(options.targets, ['build', 'pkg--host']),
    user: options.user ?? 'nobody',
    workDir: options.workDir,
    keep: options.keep ?? false,
    reportDir: options.reportDir ?? 'dist/reproducibility',
  };
}

function git(root: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** The engine's environment (DOCKER_HOST, …) when tools/docker-engine/engine.sh says one answers. */
async function engineEnv(root: string): Promise<Record<string, string> | undefined> {
  const script = join(root, ENGINE_SCRIPT);
  const quiet = { cwd: root, reject: false, stdin: 'ignore', timeout: 30_000 } as const;
  if (!existsSync(script) || (await execa('bash', [script, 'status'], quiet)).exitCode !== 0) return undefined;
  const env: Record<string, string> = {};
  const printed = await execa('bash', [script, 'env'], quiet);
  for (const [, name, value] of String(printed.stdout).matchAll(/^export (\w+)=(.*)$/gm)) {
    env[name] = value.replace(/\$PATH\b/, process.env.PATH ?? '').replace(/^"(.*)"$/, '$1');
  }
  return env;
}

async function diffoscopeCommand(root: string): Promise<string | undefined> {
  const inVenv = join(root, '.venv/bin/diffoscope');
  if (existsSync(inVenv)) return inVenv;
  const found = await execa('sh', ['-c', 'command -v diffoscope'], { reject: false });
  return found.exitCode === 0 ? String(found.stdout).trim() : undefined;
}

/**
 * The committed tree built twice, in two clones that differ in path, umask, source times, time
 * zone and (where the tools allow) user, and every artefact of the selected tasks compared; the
 * report goes to `reportDir` and the console. Fails when an artefact differs, is missing from one
 * build, or a task failed; what the outside world denies (no engine, a base image out of reach) is
 * skipped, said with its fix.
 */
export async function verifyReproducible(root: string, options: VerifyOptions): Promise<void> {
  const o = normalizeOptions(options);
  let commit: string;
  try {
    commit = git(root, 'rev-parse', 'HEAD');
  } catch {
    throw new BuildError(`${root} is not a git checkout with a commit: the check builds the committed tree`, { fix: 'git init && git add -A && git commit' });
  }
  const report: VerifyReport = {
    commit,
    subject: git(root, 'log', '-1', '--format=%s'),
    dirty: git(root, 'status', '--porcelain').length > 0,
    builds: [],
    artefacts: [],
    skipped: [],
  };
  // Clones a killed run leaves are swept by the next ./build.sh or verify (lib/core/sweep.ts), kept ones not.
  await sweepScratch();
  const work = o.workDir
    ? resolve(root, o.workDir)
    : mkdtempSync(join(tmpdir(), o.keep ? 'lava-verify-kept-' : `lava-verify-p${process.pid}-`));
  mkdirSync(work, { recursive: true });
  // Another user must reach clone B through it.
  chmodSync(work, 0o755);
  const shared = { nodeModules: join(root, 'node_modules'), venv: join(root, '.venv') };
  const a: CloneSpec = { label: 'A', root: join(work, 'a', 'lava'), umask: 0o022 };
  const b: CloneSpec = { label: 'B', root: join(work, 'second-build', 'lava-b'), umask: 0o077, sourcesTime: SOURCES_TIME, timezone: 'Etc/GMT-14' };
  try {
    await makeClone(root, commit, a, shared);

    // The plan, from the committed tree's own graph.
    const graphFile = join(work, 'graph.json');
    const selection = ['-t', o.targets.join(','), '-p', o.projects.join(',')];
    const planned = await execa(join(a.root, 'node_modules/.bin/nx'), ['run-many', ...selection, `--graph=${graphFile}`], {
      cwd: a.root, env: buildEnv(process.env, a), extendEnv: false, reject: false, stdin: 'ignore',
    });
    if (planned.exitCode !== 0 || !existsSync(graphFile)) {
      throw new BuildError(`nx could not plan ${selection.join(' ')} in the clone of ${commit.slice(0, 12)}`, { detail: String(planned.stderr || planned.stdout) });
    }
    const graph = JSON.parse(readFileSync(graphFile, 'utf8')) as unknown;
    const plan = planFromGraph(graph, graphFile).filter((t) => !t.continuous);
    const engine = await engineEnv(root);
    const dockerProjects = [...new Set(plan.filter((t) => t.tags.some((tag) => DOCKER_TAGS.includes(tag))).map((t) => t.project))];
    const skippedProjects = engine ? [] : dockerProjects;
    const skip = (add: Skip) => {
      const same = report.skipped.find((s) => s.why === add.why && s.fix === add.fix);
      if (same) same.tasks.push(...add.tasks.filter((t) => !same.tasks.includes(t)));
      else report.skipped.push({ ...add, tasks: [...add.tasks] });
    };
    if (skippedProjects.length) {
      skip({ tasks: plan.filter((t) => skippedProjects.includes(t.project)).map((t) => t.id), why: 'no docker engine', fix: ENGINE_FIX });
    }
    const isSkipped = (id: string) => report.skipped.some((s) => s.tasks.includes(id));
    const runnable = plan.filter((t) => !isSkipped(t.id));
    if (!taskOutputsFromGraph(graph, graphFile).some((t) => !isSkipped(t.id) && t.outputs.length)) throw new BuildError(`nothing to verify: ${selection.join(' ')} has no task with outputs that can run here`);

    // Clone B's user: another one where this machine lets it run the tools, else the same, said why.
    const other = resolveUser(o.user);
    let sameUser = typeof other === 'string' ? other : undefined;
    if (typeof other !== 'string') {
      const probes = [
        { what: `cd into ${work}`, command: ['sh', '-c', 'cd "$1"', 'sh', work] },
        { what: 'node', command: ['node', '-e', '0'] },
      ];
      if (plan.some((t) => t.project === 'python-env') && existsSync(join(shared.venv, 'bin/python'))) {
        probes.push({ what: '.venv/bin/python', command: [join(shared.venv, 'bin/python'), '-c', 'pass'] });
      }
      if (engine && dockerProjects.length) probes.push({ what: 'docker', command: ['docker', 'version'] });
      sameUser = await probeUser(other, probes.map((p) => ({ ...p, env: buildEnv(process.env, { ...b, user: other }, engine) })));
      if (!sameUser) {
        b.user = other;
        b.home = join(work, 'second-build', 'home');
      }
    }
    await makeClone(root, commit, b, shared);

    const exclude = skippedProjects.length ? [`--exclude=${skippedProjects.join(',')}`] : [];
    for (const spec of [a, b]) {
      const who = spec.user ? `${spec.user.name} (uid ${spec.user.uid})` : `${userInfo().username} (uid ${userInfo().uid})`;
      const user = spec.label === 'B' && sameUser ? `same user as A (${sameUser})` : `user ${who}`;
      console.log(`\n── build ${spec.label}: ${spec.root} (umask ${spec.umask.toString(8).padStart(4, '0')}, ${user}) ──`);
      const started = new Date();
      const [file, args] = wrapped([join(spec.root, 'node_modules/.bin/nx'), 'run-many', ...selection, '--skip-nx-cache', '--nxBail=false', ...exclude], spec.umask, spec.user);
      const result = await execa(file, args, {
        cwd: spec.root, env: buildEnv(process.env, spec, engine), extendEnv: false, reject: false, stdin: 'ignore',
        stdout: ['inherit', 'pipe'], stderr: ['inherit', 'pipe'], all: true,
      });
      const seconds = (Date.now() - started.getTime()) / 1000;
      const runFile = join(spec.root, '.nx/cache/run.json');
      const records = existsSync(runFile) ? runRecords(JSON.parse(readFileSync(runFile, 'utf8')), started) : new Map();
      const outcome = buildOutcome(runnable, records, String(result.all ?? ''));
      outcome.skipped.forEach(skip);
      const failed = outcome.failed;
      if (result.exitCode !== 0 && failed.length === 0 && outcome.skipped.length === 0) failed.push(`nx run-many (exit ${result.exitCode})`);
      const setting: BuildSetting = { label: spec.label, root: spec.root, umask: spec.umask, user, started: started.toISOString(), seconds, failed };
      setting.timezone = spec.timezone ?? process.env.TZ ?? 'unset';
      if (spec.sourcesTime) setting.sourcesTime = spec.sourcesTime.toISOString();
      report.builds.push(setting);
    }

    // What the outside world kept from either build is not compared: it is listed as skipped.
    const tasks = taskOutputsFromGraph(graph, graphFile).filter((t) => !isSkipped(t.id));
    const compared = await compareArtefacts(a.root, b.root, listArtefacts([a.root, b.root], tasks));
    const reportDir = join(root, o.reportDir);
    rmSync(reportDir, { recursive: true, force: true });
    mkdirSync(reportDir, { recursive: true });
    const diffoscope = compared.some((c) => c.verdict === 'differ') ? await diffoscopeCommand(root) : undefined;
    if (compared.some((c) => c.verdict === 'differ') && !diffoscope) {
      report.diffoscope = 'no diffoscope on PATH: the first differing entries above are the whole account (apt-get install diffoscope-minimal for a full one)';
    }
    for (const row of compared) {
      const entry: VerifyReport['artefacts'][number] = { ...row };
      if (row.verdict === 'differ' && diffoscope) {
        const out = join(o.reportDir, `${row.path.replace(/[^\w.-]+/g, '_')}.diffoscope.txt`);
        // diffoscope exits 1 when it finds differences, which is the point; only >1 is its failure.
        const ran = await execa(diffoscope, ['--text', join(root, out), join(a.root, row.path), join(b.root, row.path)], { reject: false, stdin: 'ignore', timeout: 600_000 });
        entry.diffoscope = (ran.exitCode ?? 2) <= 1 ? out : `failed (exit ${ran.exitCode}): ${String(ran.stderr).trim().split('\n').pop()}`;
      }
      report.artefacts.push(entry);
    }
    const text = renderReport(report);
    writeFileSync(join(reportDir, 'report.txt'), text);
    writeFileSync(join(reportDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\n${text}(also in ${o.reportDir}/report.txt and report.json)`);
    if (o.keep) console.log(`clones kept: A ${a.root}, B ${b.root}`);
    if (verifyExitStatus(report) !== 0) throw new BuildError('the two builds differ or did not both build (see the report above)');
  } finally {
    if (!o.keep) rmSync(work, { recursive: true, force: true });
  }
}
