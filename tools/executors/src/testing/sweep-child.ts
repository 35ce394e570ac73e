// Test support: a process that leaves something behind and then waits to be killed -9.
//   staging <target>   stages a write of <target> (the staging file exists) and hangs
//   scratch            makes a scratch directory and hangs
//   container <image>  runs `docker run --rm <image> sleep 120` through lib/core/process.ts
// It prints one line ("ready <what>") when the leftover exists.
import { writeFile } from 'node:fs/promises';
import { withTempDir, writeAtomically } from '../lib/core/fs';
import { run } from '../lib/core/process';

const hang = () => new Promise<never>(() => setInterval(() => undefined, 1000));
const [mode, arg] = process.argv.slice(2);

async function main(): Promise<void> {
  if (mode === 'staging') {
    await writeAtomically(arg, async (staging) => {
      await writeFile(staging, 'half an archive');
      console.log(`ready ${staging}`);
      await hang();
    });
  } else if (mode === 'scratch') {
    await withTempDir('lava-sweep-spec', async (dir) => {
      console.log(`ready ${dir}`);
      await hang();
    });
  } else if (mode === 'container') {
    console.log('ready container');
    await run('docker', ['run', '--rm', arg, 'sleep', '120'], { stream: false });
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}

void main();
