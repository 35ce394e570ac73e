import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { definedChecks, imgCheckArgs, reportedChecks } from './img-check';
import { platformOf } from '../core/platform';

const ROOT = resolve(__dirname, '../../../../..');

// The real lava tree beside this workspace (../shared/upstream/lava), when it is there.
const REAL = resolve(__dirname, '../../../../../../shared/upstream/lava/docker/common/img-check.sh');

describe('img-check', () => {
  it('runs as make ran it: common/img-check.sh -p <platform> <image>', () => {
    expect(imgCheckArgs(platformOf('arm64'), 'localhost:5001/lava/amzn2023/full')).toEqual(['common/img-check.sh', '-p', 'linux/arm64', 'localhost:5001/lava/amzn2023/full']);
  });

  it('counts the checks a script reports', () => {
    expect(reportedChecks('\x1b[32m✅ chk_base_arch passed\x1b[0m\n\x1b[31m❌ chk_full_psql failed\x1b[0m\n✅ x: 0 errors\n')).toBe(2);
  });

  it.skipIf(!existsSync(REAL))('counts the real script’s checks per type (8 base, 11 full)', () => {
    const text = readFileSync(REAL, 'utf8');
    expect(definedChecks(text, 'base')).toBe(8);
    expect(definedChecks(text, 'full')).toBe(11);
  });

  it('shows why this bash runs fewer: a here-string of a command substitution is one line since bash 4.4', () => {
    const read = execFileSync('bash', ['-c', 'read -ra checks <<< $(printf "chk_a\\nchk_b\\n"); echo ${#checks[@]}'], { encoding: 'utf8' }).trim();
    expect(read).toBe('1');
  });
});

describe('the stand-in common/img-check.sh (against a fake docker client)', () => {
  // The fake engine answers each command the script runs inside the image; sqlplus is broken in it.
  const fake = `#!/bin/bash
echo "WARNING: IPv4 forwarding is disabled. Networking will not work." >&2
cmd="\${@: -1}"
cmd="\${cmd% 2>&1}"
case "$cmd" in
  *LAVA_VERSION*) printf 8.2.0 ;;
  "uname -m") echo aarch64 ;;
  "lava-worker --version") echo "lava 8.2.0" ;;
  "python3 --version") echo "Python 3.13.5" ;;
  "openssl version") echo "OpenSSL 3.5.1 1 Jul 2025" ;;
  "sqlplus -V") echo "sqlplus: not found"; exit 127 ;;
  *) echo "$cmd 1.0" ;;
esac
`;
  const script = resolve(ROOT, 'packages/docker/common/img-check.sh');
  const runCheck = (image: string, platform = 'linux/arm64') => {
    const bin = mkdtempSync(join(tmpdir(), 'fake-docker-'));
    writeFileSync(join(bin, 'docker'), fake);
    chmodSync(join(bin, 'docker'), 0o755);
    try {
      return { stdout: execFileSync('bash', [script, '-p', platform, image], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } }), status: 0 };
    } catch (error) {
      return { stdout: String((error as { stdout?: string }).stdout), status: (error as { status: number }).status };
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  };

  it('passes a good base image, one line per check, the version read from the image', () => {
    const { stdout, status } = runCheck('localhost:5001/lava/amzn2023/base');
    expect(status).toBe(0);
    expect(stdout).toContain('✔ arch: aarch64');
    expect(stdout).toContain('✔ lava: lava 8.2.0');
    expect(stdout).not.toContain('sqlplus');
    expect(stdout.trim().split('\n').at(-1)).toBe('localhost:5001/lava/amzn2023/base (linux/arm64): all checks passed');
  });

  it('fails a full image on its broken client and on the wrong arch, naming each', () => {
    const { stdout, status } = runCheck('localhost:5001/lava/amzn2023/full', 'linux/amd64');
    expect(status).toBe(2);
    expect(stdout).toContain('✖ arch: expected "x86_64", got "aarch64"');
    expect(stdout).toContain('✖ sqlplus: exit 127: sqlplus: not found');
    expect(stdout).toContain('✔ psql: psql --version 1.0');
  });

  it('refuses a name that is not a lava image, as the real script does', () => {
    expect(runCheck('localhost:5001/other/thing').status).toBe(2);
  });
});
