import { describe, expect, it } from 'vitest';
import { abortOnSignals, settleTogether, STOP_SIGNALS } from './stop';

describe('abortOnSignals', () => {
  it('aborts on each stop signal while listening, and leaves no listener behind', () => {
    for (const signal of STOP_SIGNALS) {
      const before = new Set(process.listeners(signal));
      const stop = new AbortController();
      const stopListening = abortOnSignals(stop);
      const added = process.listeners(signal).filter((l) => !before.has(l));
      expect(added).toHaveLength(1);
      // Only our own handler: the test runner's must not see a signal.
      added[0](signal);
      expect(stop.signal.aborted).toBe(true);
      stopListening();
      expect(process.listeners(signal).filter((l) => !before.has(l))).toHaveLength(0);
    }
  });
});

describe('settleTogether', () => {
  const untilAborted = (signal: AbortSignal) => new Promise<string>((resolve) => signal.addEventListener('abort', () => resolve('stopped')));

  it('the first to fail stops the others, and its failure is returned once all have settled', async () => {
    const stop = new AbortController();
    const other = untilAborted(stop.signal);
    const failed = await settleTogether([other, Promise.reject(new Error('announce failed'))], stop);
    expect(stop.signal.aborted).toBe(true);
    expect(await other).toBe('stopped');
    expect((failed?.reason as Error).message).toBe('announce failed');
  });

  it('returns nothing when every task succeeds, and stops nothing', async () => {
    const stop = new AbortController();
    expect(await settleTogether([Promise.resolve(1), Promise.resolve(2)], stop)).toBeUndefined();
    expect(stop.signal.aborted).toBe(false);
  });
});
