import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './src/testing/temp-dir';

const ROOT = join(__dirname, '..', '..');

/** A workspace holding only ts-cache.js and a tiny source tree, sharing node_modules (for swc). */
function workspace(): string {
  const ws = tempDir('ts-cache-');
  mkdirSync(join(ws, 'tools/executors/src/lib'), { recursive: true });
  cpSync(join(__dirname, 'ts-cache.js'), join(ws, 'tools/executors/ts-cache.js'));
  symlinkSync(join(ROOT, 'node_modules'), join(ws, 'node_modules'));
  writeFileSync(join(ws, 'tools/executors/src/lib/a.ts'), "import { b } from './b';\nexport const a: string = `a${b}`;\n");
  writeFileSync(join(ws, 'tools/executors/src/lib/b.ts'), "export const b: number = 1;\n");
  return ws;
}

/** Loads lib/a.ts in a fresh node; prints its value and whether swc's binding was loaded. */
function load(ws: string): { value: string; swcLoaded: boolean } {
  const script = `const m = require('./tools/executors/ts-cache').load('lib/a.ts');
    const swc = Object.keys(require.cache).some((k) => k.includes('@swc/core'));
    console.log(JSON.stringify({ value: m.a, swcLoaded: swc }));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ws }).toString());
}

describe('ts-cache (how the plugins load their TypeScript)', () => {
  it('compiles once, then loads without swc; an edited source is compiled again, never stale', () => {
    const ws = workspace();
    expect(load(ws)).toEqual({ value: 'a1', swcLoaded: true });
    const cache = join(ws, '.nx/workspace-data/lava-ts');
    expect(readdirSync(cache).filter((f) => f.endsWith('.js'))).toHaveLength(2);
    expect(load(ws)).toEqual({ value: 'a1', swcLoaded: false });
    writeFileSync(join(ws, 'tools/executors/src/lib/b.ts'), 'export const b: number = 2;\n');
    expect(load(ws)).toEqual({ value: 'a2', swcLoaded: true });
    expect(readdirSync(cache).filter((f) => f.endsWith('.js'))).toHaveLength(3);
    expect(readdirSync(cache).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('executors.js (executors.json’s implementations)', () => {
  it('gives every executor named in executors.json as a function, loaded through the cache', () => {
    const script = `const names = Object.keys(require('./executors.json').executors);
      const impl = require('./executors.js');
      const bad = names.filter((n) => typeof impl[n] !== 'function');
      const entries = Object.values(require('./executors.json').executors).map((e) => e.implementation);
      console.log(JSON.stringify({ count: names.length, bad, entries: [...new Set(entries.map((e) => e.replace(/#.*/, '')))], unknown: impl['no-such-executor'] ?? null }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: __dirname }).toString());
    expect(out.count).toBeGreaterThan(20);
    expect(out.bad).toEqual([]);
    expect(out.entries).toEqual(['./executors.js']);
    expect(out.unknown).toBeNull();
  }, 120_000);
});
