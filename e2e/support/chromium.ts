// Headless Chromium for the guide's preview tests: the DOM after scripts ran,
// and a screenshot, of a page served on localhost.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { NX_ENV, type TempWorkspace } from './workspace';

function chromium(ws: TempWorkspace, args: string[]): string {
  const profile = ws.path('.chromium-profile');
  mkdirSync(profile, { recursive: true });
  // Run as root on a machine with no outside network: no sandbox, no GPU, nothing phoning home.
  const flags = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    `--user-data-dir=${profile}`,
  ];
  return execFileSync('chromium', [...flags, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
}

export function dumpDom(ws: TempWorkspace, url: string): string {
  return chromium(ws, ['--dump-dom', url]);
}

export function screenshot(ws: TempWorkspace, url: string, file: string, size = '1280,1600'): void {
  chromium(ws, [`--window-size=${size}`, `--screenshot=${file}`, url]);
}

export interface Preview {
  process: ChildProcess;
  url: Promise<string>;
  output: () => string;
  /** SIGINT to the whole process group, as Ctrl-C would; resolves when nx has exited. */
  stop: () => Promise<void>;
  /** Last resort in afterAll. */
  kill: () => void;
}

/** Starts `nx run docs:preview --no-open` in `ws`; `url` resolves once the guide is announced. */
export function startPreview(ws: TempWorkspace, timeoutMs = 300_000): Preview {
  const child = spawn(ws.path('node_modules/.bin/nx'), ['run', 'docs:preview', '--no-open'], {
    cwd: ws.root,
    env: { ...process.env, ...NX_ENV } as NodeJS.ProcessEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const started = Date.now();
  const url = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /lava user guide served at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (match) {
        clearInterval(timer);
        resolve(match[1]);
      } else if (child.exitCode !== null || Date.now() - started > timeoutMs) {
        clearInterval(timer);
        reject(new Error(`docs:preview did not announce its URL:\n${output}`));
      }
    }, 200);
  });
  return {
    process: child,
    url,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || !child.pid) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid, 'SIGINT');
      await exited;
    },
    kill: () => {
      if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    },
  };
}

export const screenshotDir = (ws: TempWorkspace) => join(ws.root, '.screenshots');
