// What registry:serve gives Debian's docker-registry: its config file.
import { REGISTRY_ADDRESS } from './registry-address';

/** A docker-registry (distribution 2.x) config: plain HTTP on REGISTRY_ADDRESS, filesystem storage, deletes allowed. */
export function registryConfig(storage: string): string {
  return [
    'version: 0.1',
    'log: {level: warn}',
    'storage:',
    `  filesystem: {rootdirectory: ${JSON.stringify(storage)}}`,
    '  delete: {enabled: true}',
    `http: {addr: ${REGISTRY_ADDRESS}}`,
    '',
  ].join('\n');
}
