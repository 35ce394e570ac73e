// A long step is never silent: while a program runs and prints nothing, a line in the build's
// voice says what is running and for how long, at least every 10 s (pip resolving in a
// container, a Lambda's install under qemu, bzip2 on a large bundle).
export const HEARTBEAT_MS = 10_000;

export interface Heartbeat {
  /** Call on every line the program prints: the silence is measured from the last one. */
  output(): void;
  stop(): void;
}

export function formatElapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** Prints `… <what>: still running (<elapsed>)` after every `everyMs` of silence. */
export function heartbeat(what: string, options: { everyMs?: number; log?: (line: string) => void } = {}): Heartbeat {
  const every = options.everyMs ?? HEARTBEAT_MS;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const started = Date.now();
  let last = started;
  const timer = setInterval(() => {
    const now = Date.now();
    if (now - last < every) return;
    last = now;
    log(`… ${what}: still running (${formatElapsed(now - started)})`);
  }, Math.min(1000, every / 4));
  timer.unref();
  return {
    output: () => void (last = Date.now()),
    stop: () => clearInterval(timer),
  };
}

/** Runs `body`, printing `… <describe()>` every `everyMs` until it settles (how far a download or a compression is). */
export async function withTicker<T>(describe: () => string, body: () => Promise<T>, options: { everyMs?: number; log?: (line: string) => void } = {}): Promise<T> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const timer = setInterval(() => {
    try {
      log(`… ${describe()}`);
    } catch {
      // A progress line is never worth failing the step for.
    }
  }, options.everyMs ?? HEARTBEAT_MS);
  timer.unref();
  try {
    return await body();
  } finally {
    clearInterval(timer);
  }
}

/** Bytes as a user reads them: 12.3 MB. */
export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
