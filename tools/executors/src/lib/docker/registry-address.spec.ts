// JSON and shell cannot import the registry's address: these keep their copies equal to it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REGISTRY_ADDRESS, REGISTRY_HOST, REGISTRY_PORT, REGISTRY_URL } from './registry-address';

const ROOT = resolve(__dirname, '../../../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const EXECUTORS = 'tools/executors/src/executors';

describe('the registry address written outside TypeScript', () => {
  it('tools/registry waits for the registry where it listens (127.0.0.1, not localhost)', () => {
    const project = JSON.parse(read('tools/registry/project.json')) as { targets: { serve: { readyWhen: { url: string } } } };
    expect(project.targets.serve.readyWhen.url).toBe(`${REGISTRY_URL}/v2/`);
  });

  it('engine.sh starts and checks the registry at REGISTRY_ADDRESS and names images under REGISTRY_HOST', () => {
    const script = read('tools/docker-engine/engine.sh');
    expect(/^REGISTRY_ADDR=(.*)$/m.exec(script)?.[1]).toBe(REGISTRY_ADDRESS);
    expect(/^BASE_IMAGE=(.*)$/m.exec(script)?.[1]).toMatch(new RegExp(`^${REGISTRY_HOST}/`));
  });

  it('every description, schema and script names the registry on REGISTRY_PORT', () => {
    const files = [
      'tools/docker-engine/engine.sh',
      'tools/registry/project.json',
      'tools/executors/executors.json',
      ...readdirSync(join(ROOT, EXECUTORS), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `${EXECUTORS}/${e.name}/schema.json`),
    ];
    const ports = files.flatMap((file) => [...read(file).matchAll(/\b(?:localhost|127\.0\.0\.1):(\d+)/g)].map((m) => `${file} ${m[1]}`));
    expect(ports.length).toBeGreaterThan(5);
    expect(ports.filter((p) => !p.endsWith(` ${REGISTRY_PORT}`))).toEqual([]);
  });
});
