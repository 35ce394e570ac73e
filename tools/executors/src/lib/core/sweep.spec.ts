import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { BASE_IMAGE, engineEnv, skipDockerTests } from '../../../../../e2e/support/docker';
import { withTempDir, writeAtomically } from './fs';
import { alive, labelled, OWNER_LABEL, sweepContainers, sweepScratch, sweepStagingTree } from './sweep';
import { tempDir } from '../../testing/temp-dir';

const CHILD = join(__dirname, '../../testing/sweep-child.ts');
const statOf = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return '';
  }
};

/** Starts the child (through `sh` when `viaParent`, so the parent can be killed instead) and waits for its "ready" line. */
async function leaveBehind(args: string[], env: NodeJS.ProcessEnv = process.env, viaParent = false): Promise<{ child: ChildProcess; ready: string }> {
  const node = [process.execPath, '-r', '@swc-node/register', CHILD, ...args];
  // swc-node's transform cache would otherwise stay in the temp directory.
  env = { ...env, SWC_NODE_CACHE_DIR: tempDir('lava-swc-cache-') };
  // A killed child's scratch directory is swept by the next one; the test may not make one.
  onTestFinished(async () => void (await sweepScratch()));
  const child = viaParent
    ? spawn('sh', ['-c', `${node.map((a) => `'${a}'`).join(' ')}; echo done`], { env, stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn(node[0], node.slice(1), { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += String(chunk);
      const line = /^ready (.*)$/m.exec(out);
      if (line) resolve(line[1]);
    });
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before it was ready: ${out}`)));
  });
  return { child, ready };
}

const killed = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.on('exit', () => resolve()), child.kill('SIGKILL'))));

describe('after kill -9', () => {
  it('the next write into the same directory removes the staging file a killed writer left', async () => {
    const dist = join(tempDir('lava-sweep-dist-'), 'dist', 'pkg', 'debian12');
    mkdirSync(dist, { recursive: true });
    const target = join(dist, 'lava-8.2.0-debian12-py3.11-x86_64.tar.bz2');
    const { child, ready } = await leaveBehind(['staging', target]);
    await killed(child);
    expect(readdirSync(dist)).toEqual([basename(ready)]);
    expect(basename(ready)).toMatch(/^\.lava-8\.2\.0-debian12-py3\.11-x86_64\.tar\.bz2\.\d+-\w+-\w+\.tmp$/);

    await writeAtomically(target, (staging) => Promise.resolve(writeFileSync(staging, 'whole')));
    expect(readdirSync(dist)).toEqual([basename(target)]);
  });

  it('./build.sh sweeps a killed writer\'s staging file anywhere under dist/, and leaves a live one\'s', async () => {
    const dist = join(tempDir('lava-sweep-dist-'), 'dist');
    mkdirSync(join(dist, 'pkg', 'debian12'), { recursive: true });
    const { child, ready } = await leaveBehind(['staging', join(dist, 'pkg', 'debian12', 'x.tar.bz2')]);
    await killed(child);
    const live = join(dist, `.y.zip.${process.pid}-abc-def.tmp`);
    writeFileSync(live, '');
    expect(await sweepStagingTree(dist)).toEqual([`pkg/debian12/${basename(ready)}`]);
    expect(existsSync(live)).toBe(true);
  });

  it('the next scratch directory removes the one a killed task left in the temp directory', async () => {
    const { child, ready } = await leaveBehind(['scratch']);
    expect(ready.startsWith(join(tmpdir(), `lava-sweep-spec-p${child.pid}-`))).toBe(true);
    await killed(child);
    expect(existsSync(ready)).toBe(true);
    await withTempDir('lava-sweep-spec', async () => undefined);
    expect(existsSync(ready)).toBe(false);
  });

  it('knows a live pid from a dead one', async () => {
    expect(alive(process.pid)).toBe(true);
    const { child } = await leaveBehind(['scratch']);
    const pid = child.pid!;
    await killed(child);
    expect(alive(pid)).toBe(false);
  });

  it('counts a zombie, killed but not yet reaped, as dead', async () => {
    // `sleep 0` exits at once; its parent became `sleep 5` by exec and never reaps it.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
    onTestFinished(() => void parent.kill('SIGKILL'));
    const pid = Number(await new Promise<string>((resolve) => parent.stdout!.once('data', (d) => resolve(String(d)))));
    for (const end = Date.now() + 5000; Date.now() < end && !/\) Z/.test(statOf(pid)); ) await new Promise((r) => setTimeout(r, 20));
    expect(statOf(pid)).toMatch(/\) Z/);
    expect(alive(pid)).toBe(false);
    expect(alive(parent.pid!)).toBe(true);
  });

  it('labels docker run (only)', () => {
    expect(labelled(['run', '--rm', 'img'])).toEqual(['run', '--label', `${OWNER_LABEL}=${hostname()}/${process.pid}`, '--rm', 'img']);
    expect(labelled(['buildx', 'build'])).toEqual(['buildx', 'build']);
  });
});

describe.skipIf(skipDockerTests())('containers of a killed build', () => {
  const env = { ...process.env, ...engineEnv() };
  const docker = (args: string[]) => execFileSync('docker', args, { env, encoding: 'utf8' }).trim();
  const ours = (pid: number) => docker(['ps', '-aq', '--filter', `label=${OWNER_LABEL}=${hostname()}/${pid}`]);
  const waitFor = async (what: () => boolean, ms: number) => {
    for (const end = Date.now() + ms; Date.now() < end; ) {
      if (what()) return true;
      await new Promise((r) => setTimeout(r, 200));
    }
    return what();
  };

  for (const [who, viaParent] of [['the task process', false], ['its parent (nx)', true]] as const) {
    it(`are gone within 5 s when ${who} is killed -9`, async () => {
      const { child } = await leaveBehind(['container', BASE_IMAGE], env, viaParent);
      // The owner is the node process: under `sh -c`, the child of the shell.
      const owner = () => {
        const pids = viaParent ? execFileSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' }).trim().split('\n').map(Number) : [child.pid!];
        return pids[0];
      };
      const pid = owner();
      expect(await waitFor(() => ours(pid) !== '', 30_000)).toBe(true);
      await killed(child);
      const gone = await waitFor(() => ours(pid) === '', 5_000);
      if (viaParent) process.kill(pid, 'SIGKILL');
      expect(gone).toBe(true);
    }, 60_000);
  }

  it('the next container run removes one whose owner is dead, and names it', async () => {
    const { child } = await leaveBehind(['scratch']);
    const deadPid = child.pid!;
    await killed(child);
    const name = `lava-sweep-spec-${deadPid}`;
    docker(['run', '-d', '--rm', '--name', name, '--label', `${OWNER_LABEL}=${hostname()}/${deadPid}`, BASE_IMAGE, 'sleep', '120']);
    const saved = { DOCKER_HOST: process.env.DOCKER_HOST, DOCKER_CONFIG: process.env.DOCKER_CONFIG, PATH: process.env.PATH };
    Object.assign(process.env, engineEnv());
    try {
      // Others' killed builds on this engine may have left some too: they go as well.
      expect(await sweepContainers()).toContain(`${name} (pid ${deadPid})`);
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
    expect(ours(deadPid)).toBe('');
  }, 60_000);
});
