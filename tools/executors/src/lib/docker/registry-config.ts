// What registry:serve needs beyond the registry's HTTP API: its config file and a PATH lookup.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A docker-registry (distribution 2.x) config: plain HTTP on 127.0.0.1:5001, filesystem storage, deletes allowed. */
export function registryConfig(storage: string): string {
  return [
    'version: 0.1',
    'log: {level: warn}',
    'storage:',
    `  filesystem: {rootdirectory: ${JSON.stringify(storage)}}`,
    '  delete: {enabled: true}',
    'http: {addr: 127.0.0.1:5001}',
    '',
  ].join('\n');
}

export function onPath(program: string, path = process.env.PATH ?? ''): boolean {
  return path.split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
