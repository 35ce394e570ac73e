// Entries as files: <dir>/entries/<first two characters>/<hash>. An upload is
// written to <dir>/tmp, flushed, then published with link(2), which fails
// when the name exists: a reader sees a whole entry or none, and a published
// entry is never replaced.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, link, mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PutResult, Storage } from './storage';

export class FileStorage implements Storage {
  readonly kind = 'fs';
  private readonly entries: string;
  private readonly tmp: string;

  constructor(readonly dir: string) {
    this.entries = join(dir, 'entries');
    this.tmp = join(dir, 'tmp');
  }

  /** Creates the folders and drops uploads a crash left half-written. */
  async init(): Promise<void> {
    await rm(this.tmp, { recursive: true, force: true });
    await mkdir(this.tmp, { recursive: true });
    await mkdir(this.entries, { recursive: true });
  }

  entryPath(hash: string): string {
    return join(this.entries, hash.slice(0, 2), hash);
  }

  async get(hash: string, signal: AbortSignal): Promise<Buffer | null> {
    try {
      return await readFile(this.entryPath(hash), { signal });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async has(hash: string): Promise<boolean> {
    try {
      await access(this.entryPath(hash), constants.F_OK);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  async put(hash: string, body: Buffer, signal: AbortSignal): Promise<PutResult> {
    const final = this.entryPath(hash);
    const temp = join(this.tmp, `${hash}.${process.pid}.${randomBytes(6).toString('hex')}`);
    await mkdir(join(this.entries, hash.slice(0, 2)), { recursive: true });
    try {
      const file = await open(temp, 'wx', 0o644);
      try {
        await file.writeFile(body, { signal });
        await file.sync();
      } finally {
        await file.close();
      }
      signal.throwIfAborted();
      try {
        await link(temp, final);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
        throw error;
      }
      return 'stored';
    } finally {
      await rm(temp, { force: true });
    }
  }

  async probe(): Promise<void> {
    await access(this.entries, constants.R_OK | constants.W_OK);
    await access(this.tmp, constants.R_OK | constants.W_OK);
  }
}
