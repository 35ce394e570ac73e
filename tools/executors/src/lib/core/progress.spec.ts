import { describe, expect, it } from 'vitest';
import { formatElapsed, heartbeat, megabytes, withTicker } from './progress';
import { run } from './process';

describe('heartbeat', () => {
  it('says what is still running after each stretch of silence, and nothing once stopped', async () => {
    const lines: string[] = [];
    const beat = heartbeat('pip in build/lava/amzn2023-py3.13 (linux/arm64)', { everyMs: 300, log: (l) => lines.push(l) });
    await new Promise((r) => setTimeout(r, 700));
    beat.stop();
    const seen = lines.length;
    await new Promise((r) => setTimeout(r, 400));
    expect(seen).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBe(seen);
    expect(lines[0]).toMatch(/^… pip in build\/lava\/amzn2023-py3\.13 \(linux\/arm64\): still running \(\d+ s\)$/);
  });

  it('stays quiet while the program prints', async () => {
    const lines: string[] = [];
    const beat = heartbeat('chatty', { everyMs: 300, log: (l) => lines.push(l) });
    for (let i = 0; i < 6; i++) {
      beat.output();
      await new Promise((r) => setTimeout(r, 100));
    }
    beat.stop();
    expect(lines).toEqual([]);
  });

  it('formats minutes', () => {
    expect(formatElapsed(9_400)).toBe('9 s');
    expect(formatElapsed(94_000)).toBe('1 min 34 s');
  });
});

describe('run', () => {
  it('a silent program gets heartbeat lines from run()', async () => {
    const lines: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => (lines.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      await run('sleep', ['1.2'], { label: 'sleeping', heartbeatMs: 400 });
    } finally {
      process.stdout.write = original;
    }
    expect(lines.filter((l) => l.startsWith('… sleeping: still running')).length).toBeGreaterThanOrEqual(2);
  });
});

describe('withTicker', () => {
  it('says how far a long step is until it settles, then stops', async () => {
    const lines: string[] = [];
    let written = 0;
    const result = await withTicker(
      () => `bzip2 lava.tar.bz2: ${megabytes(written)} written`,
      async () => {
        for (let i = 0; i < 5; i++) {
          written += 2_500_000;
          await new Promise((r) => setTimeout(r, 100));
        }
        return 'done';
      },
      { everyMs: 180, log: (l) => lines.push(l) },
    );
    const seen = lines.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(result).toBe('done');
    expect(seen).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBe(seen);
    expect(lines[0]).toMatch(/^… bzip2 lava\.tar\.bz2: \d+\.\d MB written$/);
  });
});
