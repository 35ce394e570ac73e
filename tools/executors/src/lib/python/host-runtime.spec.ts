import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHostRuntime, hostPlatform, hostRuntime, interpreterPath } from './host-runtime';
import type { MachineRuntime } from './runtime';
import { platformOf } from '../core/platform';
import { tempDir } from '../../testing/temp-dir';

const host: MachineRuntime = { os: 'debian12', python: '3.11', runtime: 'debian12-py3.11', platform: platformOf('x86_64') };

describe('hostRuntime', () => {
  it('joins os-release and the interpreter’s own version', async () => {
    const dir = tempDir('host-runtime-');
    writeFileSync(join(dir, 'os-release'), 'ID=debian\nVERSION_ID="12"\n');
    const expected = execFileSync('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])']).toString().trim();
    const found = await hostRuntime('python3', join(dir, 'os-release'));
    expect(found.runtime).toBe(`debian12-py${expected}`);
    expect(['x86_64', 'aarch64']).toContain(found.platform.arch);
  });

  it('says what to install when the interpreter is missing', async () => {
    await expect(hostRuntime('python3-lava-missing')).rejects.toThrow('python3-lava-missing not found on PATH; run: apt-get install python3');
  });
});

describe('hostPlatform', () => {
  it('reads the host from uname -m', () => {
    expect(hostPlatform('aarch64').docker).toBe('linux/arm64');
    expect(() => hostPlatform('s390x')).toThrow('unknown platform "s390x"');
  });
});

describe('interpreterPath', () => {
  it('is the interpreter itself, an absolute path pip --python accepts', async () => {
    const path = await interpreterPath('python3');
    expect(path).toMatch(/^\/.*python/);
    expect(execFileSync(path, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim()).toBe(path);
  });
});

describe('checkHostRuntime', () => {
  it('accepts the host runtime or none', () => {
    expect(() => checkHostRuntime(undefined, host)).not.toThrow();
    expect(() => checkHostRuntime('debian12-py3.11', host)).not.toThrow();
  });

  it('refuses another Python version, naming both and the foreign build', () => {
    expect(() => checkHostRuntime('debian12-py3.13', host)).toThrow(
      'runtime debian12-py3.13 cannot be built on this host (python3 here is Python 3.11, not 3.13; host runtime is debian12-py3.11); run: npx nx run worker-bundle:pkg --configuration=debian12-py3.13-amd64',
    );
  });

  it('refuses another OS', () => {
    expect(() => checkHostRuntime('amzn2023-py3.11', host)).toThrow(/this host runs debian12/);
  });
});
