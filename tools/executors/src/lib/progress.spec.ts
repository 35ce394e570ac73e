import { describe, expect, it } from 'vitest';
import { formatElapsed, heartbeat } from './progress';
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
