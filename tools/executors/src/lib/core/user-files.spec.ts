import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestFromMetadata } from '../docker/cli';
import { BuildError } from './errors';
import { imageRecordFile } from '../images/build';
import { builtImage } from '../images/built-image';
import { tempDir } from '../../testing/temp-dir';
import { checkPluginOptions, parseJsonFile, parseYamlFile, readJsonFile } from './user-files';

const oneLine = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BuildError);
    const message = (error as BuildError).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('did not throw');
};

describe('malformed user files', () => {
  it('JSON: the line of the fault, one line, and the fix', () => {
    const text = '{\n  "image": "localhost:5001/lava/ubuntu24/base",\n  "digest": sha256\n}\n';
    expect(oneLine(() => parseJsonFile(text, 'dist/docker/ubuntu24/base.json', 'npx nx run docker-ubuntu24:build-base --skip-nx-cache'))).toMatch(
      /^dist\/docker\/ubuntu24\/base\.json:3:\d+: invalid JSON: .+; run: npx nx run docker-ubuntu24:build-base --skip-nx-cache$/,
    );
  });

  it('JSON: an empty or truncated file (a killed writer) says so', () => {
    expect(oneLine(() => parseJsonFile('', 'metadata.json'))).toBe('metadata.json:1: invalid JSON: the file is empty');
    expect(oneLine(() => parseJsonFile('{\n"a": 1,\n', 'metadata.json'))).toMatch(/^metadata\.json:3:\d+: invalid JSON: /);
  });

  it('JSON from disk', () => {
    const dir = tempDir('user-files-');
    writeFileSync(join(dir, 'm.json'), '{"containerimage.digest": }');
    expect(oneLine(() => readJsonFile(join(dir, 'm.json'), 'dist/builders/x/metadata.json'))).toMatch(/^dist\/builders\/x\/metadata\.json:1:\d+: invalid JSON: /);
    writeFileSync(join(dir, 'ok.json'), '{"a": [1]}');
    expect(readJsonFile(join(dir, 'ok.json'))).toEqual({ a: [1] });
  });

  it('YAML: checks.yaml with a bad indent names its line', () => {
    const text = 'base:\n  python: python3 --version\n full:\n  oracle: sqlplus -V\n';
    expect(oneLine(() => parseYamlFile(text, 'packages/docker/checks.yaml'))).toMatch(/^packages\/docker\/checks\.yaml:3: invalid YAML: /);
    expect(parseYamlFile('base:\n  python: python3 --version\n', 'checks.yaml')).toEqual({ base: { python: 'python3 --version' } });
  });

  it('nx.json plugin options: the line of the plugin entry and the bad option', () => {
    const root = tempDir('user-files-nx-');
    writeFileSync(
      join(root, 'nx.json'),
      '{\n  "plugins": [\n    "./tools/executors/src/plugins/cfn.ts",\n    { "plugin": "./tools/executors/src/plugins/builders.ts", "options": { "builderDir": "etc/builders" } }\n  ]\n}\n',
    );
    expect(oneLine(() => checkPluginOptions(root, './tools/executors/src/plugins/builders.ts', { builderDir: 'etc/builders' }, { buildersDir: 'string' }))).toBe(
      'nx.json:4: ./tools/executors/src/plugins/builders.ts: unknown option "builderDir" (known: buildersDir); run: fix the plugin entry in nx.json',
    );
    expect(oneLine(() => checkPluginOptions(root, './tools/executors/src/plugins/builders.ts', { buildersDir: 5 }, { buildersDir: 'string' }))).toMatch(/^nx\.json:4: .*option "buildersDir" must be a string, not 5;/);
    // nx.json naming the JavaScript entry that loads the source: found, and shown as nx.json spells it.
    writeFileSync(join(root, 'nx.json'), '{\n  "plugins": [\n    { "plugin": "./tools/executors/plugins/builders.js", "options": { "builderDir": "x" } }\n  ]\n}\n');
    expect(oneLine(() => checkPluginOptions(root, './tools/executors/src/plugins/builders.ts', { builderDir: 'x' }, { buildersDir: 'string' }))).toMatch(
      /^nx\.json:3: \.\/tools\/executors\/plugins\/builders\.js: unknown option "builderDir"/,
    );
    expect(() => checkPluginOptions(root, 'p', { buildersDir: 'etc/builders' }, { buildersDir: 'string' })).not.toThrow();
    expect(() => checkPluginOptions(root, 'p', undefined, { buildersDir: 'string' })).not.toThrow();
  });
});

describe('where they are read', () => {
  it('buildx metadata and an image record: file:line, one line, no stack', async () => {
    const root = tempDir('user-files-ws-');
    const metadata = join(root, 'metadata.json');
    writeFileSync(metadata, '{\n  "containerimage.digest": "sha256:ab",\n');
    await expect(digestFromMetadata(metadata)).rejects.toThrow(new RegExp(`^${metadata.replace(/[.]/g, '\\.')}:3:\\d+: invalid JSON: [^\\n]+$`));

    const record = join(root, imageRecordFile('ubuntu24', 'base'));
    mkdirSync(join(record, '..'), { recursive: true });
    writeFileSync(record, '{"image": "localhost:5001/lava/ubuntu24/base", "digest": ');
    await expect(builtImage(root, 'ubuntu24', 'base')).rejects.toThrow(
      new RegExp(`^${imageRecordFile('ubuntu24', 'base').replace(/[.]/g, '\\.')}:1:\\d+: invalid JSON: .*; run: npx nx run docker-ubuntu24:build-base --skip-nx-cache$`),
    );
  });
});
