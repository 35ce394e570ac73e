// `./build.sh` (build): every artefact that can be built, whatever else cannot, then one summary,
// last on screen. Run by build.sh as `node -r @swc-node/register tools/setup/build.ts`.
//
// * No docker engine: the builders, Lambdas and lava images are left out (skipped, with the fix).
// * With an engine, `oracle:sync` runs on its own first: when Oracle's site is out of reach it
//   fails alone, and only the full lava images, which need its zips, are skipped.
// * The rest runs in one `nx run-many`, which goes on past a failed task (Nx's default,
//   `--nxBail=false`), so one unreachable base image or index stops only what needs it. That run
//   also writes the plan the summary is made from (plugins/build-plan.ts): no second nx command.
// Exit status: 1 when a task that could have been built failed; 0 when everything else was
// built and the rest was skipped because the outside world (engine, network) is out of reach;
// with LAVA_BUILD_STRICT=1 (for a CI that must build everything) such skips exit 3.
// node's own child_process, not execa: loading execa is ~0.1-0.3 s of every ./build.sh, and a no-op
// build is little more than that.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  exitStatus,
  planFromGraph,
  renderSummary,
  requestBuildPlan,
  runRecords,
  summarise,
  type Exclusion,
  type PlannedTask,
  type RunRecord,
} from '../executors/src/lib/workspace/build-summary';
import { sweepContainers, sweepScratch, sweepStagingTree } from '../executors/src/lib/core/sweep';

const ROOT = join(__dirname, '..', '..');
const NX = join(ROOT, 'node_modules', '.bin', 'nx');
// The artefacts and their documentation. The source checks (`lint`, `test`: make check and make
// test) are not part of building: a lava tree with lint findings still builds, as it did with make.
const TARGETS = ['build', 'doc', 'pkg--host'];
const DOCKER_TAGS = ['type:builder', 'type:lambda', 'type:docker-image'];
const ENGINE_FIX = 'eval "$(sudo tools/docker-engine/engine.sh up)", then ./build.sh';
const ORACLE_SYNC = 'oracle:sync';

function cacheDir(): string {
  // Nx's own answer (nx.json's cacheDirectory, NX_CACHE_DIRECTORY, …), resolved from the workspace root.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(require.resolve('nx/src/utils/cache-directory', { paths: [ROOT] })) as { cacheDir: string }).cacheDir;
}

/** Whether `docker <args>` exits 0 within 15 s (a missing docker is a no). */
function succeeds(args: string[]): Promise<boolean> {
  return new Promise((done) => execFile('docker', args, { timeout: 15_000 }, (error) => done(!error)));
}

async function engineAnswers(): Promise<boolean> {
  return (await succeeds(['version', '--format', '{{.Server.Version}}'])) && (await succeeds(['buildx', 'version']));
}

// Nx forces colour on in every task unless told otherwise: a log file or CI gets no ANSI codes.
const PLAIN = process.stdout.isTTY ? {} : { FORCE_COLOR: '0', NO_COLOR: '1' };

function nx(args: string[]): Promise<number> {
  return new Promise((done) => {
    const child = spawn(NX, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...PLAIN } });
    child.on('error', () => done(1));
    child.on('close', (code) => done(code ?? 1));
  });
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  const cache = cacheDir();
  const runFile = join(cache, 'run.json');
  const planFile = join(ROOT, '.nx', 'build-plan.json');
  const engine = await engineAnswers();
  // What killed builds left: half-written outputs, scratch directories, containers.
  const staged = await sweepStagingTree(join(ROOT, 'dist'));
  if (staged.length) console.log(`removed ${staged.length} partial output(s) a killed build left in dist/: ${staged.join(', ')}`);
  await sweepScratch();
  const containers = engine ? await sweepContainers() : [];
  if (containers.length) console.log(`removed ${containers.length} container(s) a killed build left: ${containers.join(', ')}`);

  const runs = new Map<string, RunRecord>();
  const collect = (after: Date) => {
    for (const [id, record] of runRecords(readJson(runFile), after)) runs.set(id, record);
  };

  if (engine) {
    const started = new Date();
    await nx(['run', ORACLE_SYNC]);
    collect(started);
  }
  const started = new Date();
  const withdraw = requestBuildPlan(ROOT, { targets: TARGETS, output: planFile });
  let code: number;
  try {
    code = await nx(['run-many', '-t', ...TARGETS, '--nxBail=false', ...(engine ? [] : [`--exclude=${DOCKER_TAGS.map((t) => `tag:${t}`).join(',')}`])]);
  } finally {
    withdraw();
  }
  collect(started);
  // No plan: the graph itself is broken (a malformed nx.json, a plugin error; nx has said why), or,
  // when nx succeeded and ran nothing, there was no task to run.
  const written = existsSync(planFile);
  if (!written && (code !== 0 || runs.size > 0)) {
    process.stderr.write('✖ nx could not compute the task graph (see above); run: npx nx show projects\n');
    return 1;
  }
  const plan: PlannedTask[] = written ? planFromGraph(readJson(planFile), planFile) : [];
  rmSync(planFile, { force: true });
  const excluded = new Map<string, Exclusion>();
  if (engine) {
    plan.unshift({ id: ORACLE_SYNC, project: 'oracle', target: 'sync', deps: [], continuous: false, tags: [] });
  } else {
    for (const task of plan) {
      if (task.tags.some((tag) => DOCKER_TAGS.includes(tag))) excluded.set(task.id, { why: 'no docker engine', fix: ENGINE_FIX });
    }
  }

  const rows = summarise({
    plan,
    runs,
    excluded,
    outputOf: (id) => {
      const hash = runs.get(id)?.hash;
      const file = hash ? join(cache, 'terminalOutputs', hash) : undefined;
      return file && existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    },
  });
  process.stdout.write(renderSummary(rows));
  return exitStatus(rows, process.env.LAVA_BUILD_STRICT === '1');
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`✖ ./build.sh: ${(error as Error).message ?? error}\n`);
    process.exit(1);
  },
);
