import { describe, expect, it } from 'vitest';
import { renderReport, verifyExitStatus, type VerifyReport } from './report';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

function sample(): VerifyReport {
  return {
    commit: '29e5ca125231aaaabbbbccccddddeeeeffff0000',
    subject: 'one subject',
    dirty: false,
    builds: [
      { label: 'A', root: '/tmp/v/a/lava', umask: 0o022, user: 'user root (uid 0)', started: '2026-11-30T14:00:00.000Z', seconds: 16.4, failed: [] },
      { label: 'B', root: '/tmp/v/second-build/lava-b', umask: 0o077, user: 'user nobody (uid 65534)', sourcesTime: '2001-02-03T04:05:06.000Z', timezone: 'Etc/GMT-14', started: '2026-11-30T14:00:17.000Z', seconds: 21, failed: [] },
    ],
    artefacts: [{ path: 'dist/cfn/lava-common.cfn.json', task: 'cfn:build', kind: 'file', a: HASH_A, b: HASH_A, verdict: 'identical' }],
    skipped: [],
  };
}

describe('renderReport', () => {
  it('says how the builds differed in setting, then each artefact with its hash, then the count', () => {
    expect(renderReport(sample())).toBe(
      [
        'Reproducibility of 29e5ca125231 "one subject": built twice, --skip-nx-cache, in two clones',
        '  A  /tmp/v/a/lava  umask 0022, user root (uid 0), sources as checked out, built at 2026-11-30T14:00:00.000Z in 16 s',
        '  B  /tmp/v/second-build/lava-b  umask 0077, user nobody (uid 65534), sources dated 2001-02-03T04:05:06.000Z, TZ Etc/GMT-14, built at 2026-11-30T14:00:17.000Z in 21 s',
        '  SOURCE_DATE_EPOCH unset in both builds',
        '',
        `  identical  ${HASH_A}  dist/cfn/lava-common.cfn.json  (cfn:build)`,
        '',
        '1 identical, 0 differ, 0 missing, 0 skipped',
        '',
      ].join('\n'),
    );
    expect(verifyExitStatus(sample())).toBe(0);
  });

  it('gives a difference both hashes and its first differing entry, skips one line with the fix, failures by build', () => {
    const r = sample();
    r.dirty = true;
    r.artefacts.push({
      path: 'dist/drift/drift.tar.gz', task: 'drift:build', kind: 'file', a: HASH_A, b: HASH_B, verdict: 'differ',
      difference: { member: 'where.txt', offset: 12, text: 'member "where.txt": content differs at byte 12' }, diffoscope: 'dist/reproducibility/dist_drift_drift.tar.gz.diffoscope.txt',
    });
    r.skipped.push({ tasks: ['lambda-stop:build', 'lambda-dispatch:build'], why: 'no docker engine', fix: 'eval "$(sudo tools/docker-engine/engine.sh up)", then ./build.sh verify' });
    r.builds[1].failed.push('jinlava:build');
    const text = renderReport(r);
    expect(text).toContain('  the workspace has uncommitted changes: they are not part of this check (commit them to verify them)\n');
    expect(text).toContain(
      `  DIFFERS    A ${HASH_A}  B ${HASH_B}  dist/drift/drift.tar.gz  (drift:build)\n` +
        '             first difference: member "where.txt": content differs at byte 12\n' +
        '             diffoscope: dist/reproducibility/dist_drift_drift.tar.gz.diffoscope.txt\n',
    );
    expect(text).toContain('  skipped    lambda-stop:build, lambda-dispatch:build: no docker engine; run: eval "$(sudo tools/docker-engine/engine.sh up)", then ./build.sh verify\n');
    expect(text).toContain('  FAILED     in build B: jinlava:build (its output is above)\n');
    expect(text).toMatch(/\n1 identical, 1 differ, 0 missing, 2 skipped, 1 failed\n$/);
    expect(verifyExitStatus(r)).toBe(1);
  });

  it('exits 0 when the only gaps are skips', () => {
    const r = sample();
    r.skipped.push({ tasks: ['lambda-stop:build'], why: 'no docker engine', fix: '…' });
    expect(verifyExitStatus(r)).toBe(0);
  });
});
