// Ending a long-running task (a preview server) cleanly: on Ctrl-C, a kill or a
// closed terminal, and when one of the things it runs side by side fails.

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Aborts `stop` on any of STOP_SIGNALS; returns the function that stops listening. */
export function abortOnSignals(stop: AbortController): () => void {
  const onSignal = () => stop.abort();
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  };
}

/**
 * Waits for every task to settle; a task that fails aborts `stop`, which the others watch, so
 * the first to fail ends them all. Returns the failure of the first failed task (in the order
 * given), for the caller to throw once it has cleaned up.
 */
export async function settleTogether(tasks: readonly Promise<unknown>[], stop: AbortController): Promise<PromiseRejectedResult | undefined> {
  const results = await Promise.allSettled(tasks.map((task) => task.catch((error: unknown) => (stop.abort(), Promise.reject(error)))));
  return results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
}
