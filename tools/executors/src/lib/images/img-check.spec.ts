import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { definedChecks, imgCheckArgs, reportedChecks } from './img-check';
import { platformOf } from '../core/platform';

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
