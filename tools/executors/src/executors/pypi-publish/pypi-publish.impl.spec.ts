import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureStderr, fakeContext } from '../../testing/executor-context';
import { startPypiServer, type PypiServer } from '../../testing/pypiserver';
import publish from './pypi-publish.impl';
import { tempDir } from '../../testing/temp-dir';

// Real twine against a real pypiserver on 127.0.0.1.
const WORKSPACE = resolve(__dirname, '../../../../..');
const SECRET = 'pypi-s3cret-token-0123456789';
let server: PypiServer;
let root: string;

beforeAll(async () => {
  server = await startPypiServer(WORKSPACE);
});
afterAll(async () => server?.stop());

function sdist(version: string): void {
  const staging = join(root, 'staging', `jinlava-${version}`);
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'PKG-INFO'), `Metadata-Version: 2.1\nName: jinlava\nVersion: ${version}\nSummary: test sdist\n`);
  mkdirSync(join(root, 'dist/jinlava'), { recursive: true });
  execFileSync('tar', ['-czf', join(root, 'dist/jinlava', `jinlava-${version}.tar.gz`), '-C', join(root, 'staging'), `jinlava-${version}`]);
  mkdirSync(join(root, 'packages/lava/lava'), { recursive: true });
  writeFileSync(join(root, 'packages/lava/lava/VERSION.json'), JSON.stringify({ __version_num__: version, __version_name__: 'Test' }));
}

beforeEach(() => {
  root = tempDir('pypi-publish-spec-');
  symlinkSync(join(WORKSPACE, '.venv'), join(root, '.venv'));
  for (const name of ['TWINE_REPOSITORY_URL', 'TWINE_USERNAME', 'TWINE_PASSWORD']) vi.stubEnv(name, '');
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const context = () => fakeContext(root, 'jinlava', 'packages/lava/jinlava', 'publish');

/** Everything the executor printed (its own lines and twine's), for the secret check. */
async function publishCapturing(options: Parameters<typeof publish>[0]) {
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  try {
    const { result, stderr } = await captureStderr(() => publish(options, context()));
    return { result, output: `${out.join('')}\n${stderr}`, stderr };
  } finally {
    process.stdout.write = write;
    log.mockRestore();
  }
}

describe('pypi-publish', () => {
  it('uploads to TWINE_REPOSITORY_URL with a token, never printing it, then refuses the same version', async () => {
    sdist('1.2.3');
    vi.stubEnv('TWINE_REPOSITORY_URL', server.url);
    vi.stubEnv('TWINE_PASSWORD', SECRET);
    const first = await publishCapturing({});
    expect(first.result, first.output).toEqual({ success: true });
    expect(first.output).toContain(`Published jinlava-1.2.3.tar.gz to ${server.url}.`);
    expect(server.files()).toContain('jinlava-1.2.3.tar.gz');
    const again = await publishCapturing({});
    expect(again.result.success).toBe(false);
    expect(again.stderr).toBe(
      `✖ jinlava:publish: jinlava 1.2.3 is already on ${server.url}simple/; an index never takes a version twice; run: raise the version in lava/VERSION.json\n`,
    );
    expect(first.output + again.output).not.toContain(SECRET);
  });

  it('uploads to a repository named in a .pypirc (make pypi=<section>)', async () => {
    sdist('1.2.4');
    const pypirc = join(root, 'pypirc');
    writeFileSync(pypirc, `[distutils]\nindex-servers =\n    local\n\n[local]\nrepository = ${server.url}\nusername = lava\npassword = ${SECRET}\n`);
    const run = await publishCapturing({ repository: 'local', pypirc });
    expect(run.result, run.output).toEqual({ success: true });
    expect(run.output).toContain(`Published jinlava-1.2.4.tar.gz to [local] ${server.url}.`);
    expect(run.output).not.toContain(SECRET);
    expect(server.files()).toContain('jinlava-1.2.4.tar.gz');
  });

  it('says what to do without a repository, or without a built sdist', async () => {
    sdist('1.2.5');
    const pypirc = join(root, 'pypirc');
    writeFileSync(pypirc, '[pypi]\nusername = __token__\n');
    const missing = await publishCapturing({ repository: 'nope', pypirc });
    expect(missing.stderr).toBe(`✖ jinlava:publish: ${pypirc} has no [nope] section; run: add a [nope] section to ${pypirc}, or set TWINE_REPOSITORY_URL and TWINE_PASSWORD\n`);
    rmSync(join(root, 'dist'), { recursive: true });
    const unbuilt = await publishCapturing({});
    expect(unbuilt.stderr).toBe('✖ jinlava:publish: dist/jinlava/jinlava-1.2.5.tar.gz is not built; run: npx nx run jinlava:build\n');
  });
});
