// What the server needs from a place to keep entries. Entries are immutable:
// `put` publishes a whole entry or nothing, and never replaces one.

export type PutResult = 'stored' | 'exists';

export interface Storage {
  /** "fs" or "s3", for logs and /health. */
  readonly kind: string;
  /** The entry's bytes, or null when there is none. */
  get(hash: string, signal: AbortSignal): Promise<Buffer | null>;
  has(hash: string, signal: AbortSignal): Promise<boolean>;
  /** Publishes `body` under `hash` atomically; 'exists' when an entry was already there. */
  put(hash: string, body: Buffer, signal: AbortSignal): Promise<PutResult>;
  /** Throws when the storage cannot be used (for /health). */
  probe(signal: AbortSignal): Promise<void>;
}

/** Thrown by a storage call that ran out of time. */
export class StorageTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not finish within ${ms} ms`);
    this.name = 'StorageTimeoutError';
  }
}

/**
 * Runs a storage call with a deadline. Nx's HTTP client has no timeout of its
 * own, so a storage call that hangs would hang every nx run that reaches this
 * server: the signal asks the call to stop, and the race gives up on it anyway.
 */
export async function withTimeout<T>(what: string, ms: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new StorageTimeoutError(what, ms);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([call(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
