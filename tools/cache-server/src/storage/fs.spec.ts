import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { FileStorage } from './fs';
import { tempDir } from '../../../executors/src/testing/temp-dir';

let dir: string;
const signal = new AbortController().signal;
beforeEach(() => {
  dir = tempDir('cache-fs-');
});

describe('FileStorage', () => {
  it('publishes an entry under entries/<first two characters>/<hash> and reads it back', async () => {
    const storage = new FileStorage(dir);
    await storage.init();
    expect(await storage.get('696365968845810573', signal)).toBeNull();
    expect(await storage.has('696365968845810573')).toBe(false);
    expect(await storage.put('696365968845810573', Buffer.from('entry'), signal)).toBe('stored');
    expect(readFileSync(join(dir, 'entries', '69', '696365968845810573'), 'utf8')).toBe('entry');
    expect((await storage.get('696365968845810573', signal))?.toString()).toBe('entry');
    expect(await storage.has('696365968845810573')).toBe(true);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
  });

  it('never replaces an entry: a second put is "exists" and the first bytes stay', async () => {
    const storage = new FileStorage(dir);
    await storage.init();
    await storage.put('77', Buffer.from('first'), signal);
    expect(await storage.put('77', Buffer.from('second'), signal)).toBe('exists');
    expect((await storage.get('77', signal))?.toString()).toBe('first');
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
  });

  it('drops uploads a crash left in tmp when it starts, and keeps published entries', async () => {
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    writeFileSync(join(dir, 'tmp', '88.123.abc'), 'half an upload');
    mkdirSync(join(dir, 'entries', '99'), { recursive: true });
    writeFileSync(join(dir, 'entries', '99', '99'), 'whole');
    const storage = new FileStorage(dir);
    await storage.init();
    expect(existsSync(join(dir, 'tmp', '88.123.abc'))).toBe(false);
    expect((await storage.get('99', signal))?.toString()).toBe('whole');
    await expect(storage.probe()).resolves.toBeUndefined();
  });

  it('reports an unusable folder from probe', async () => {
    const storage = new FileStorage(join(dir, 'never-created'));
    await expect(storage.probe()).rejects.toThrow(/ENOENT/);
  });
});
