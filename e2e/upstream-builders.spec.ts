// The real lava tree's builders on the graph (adopted into a temp workspace): every
// etc/builders file, whatever its name, is a builder with its bundle variants; the
// deprecated ones are tagged; py3.8 is left out; a Dockerfile declaring ARG PIP_INDEX_URL
// gets the index as a build argument (argv recorded by a fake docker client on PATH, the
// rest real: nx, the executor, the registry check) and one redacted warning for credentials.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adoptedWorkspace, upstreamSkipReason } from './support/upstream';
import type { TempWorkspace } from './support/workspace';

const skip = upstreamSkipReason();
const REAL_BUILDERS = ['amzn2023-py3.11', 'amzn2023-py3.12', 'amzn2023-py3.13', 'amzn2023-py3.9', 'rocky9-p3.9'];

/** A docker client that answers the executor's checks, records every argv and plays a builder container. */
function fakeDocker(dir: string, log: string, runtime: { id: string; version: string; py: string }): string {
  mkdirSync(dir, { recursive: true });
  const script = `#!/bin/bash
printf '%s\\n' "$*" >> ${log}
case "$1" in
  version) echo 26.1.5 ;;
  info) echo '[["driver-type","io.containerd.snapshotter.v1"]]' ;;
  buildx)
    if [ "$2" = inspect ]; then printf 'Name: default\\nDriver: docker\\nPlatforms: linux/amd64, linux/arm64\\n'; exit 0; fi
    while [ $# -gt 0 ]; do [ "$1" = --metadata-file ] && printf '{"containerimage.digest":"sha256:%064d"}' 1 > "$2"; shift; done ;;
  run) printf 'ID=${runtime.id}\\nVERSION_ID="${runtime.version}"\\nPY=${runtime.py}\\nARCH=x86_64\\n' ;;
esac
`;
  writeFileSync(join(dir, 'docker'), script);
  chmodSync(join(dir, 'docker'), 0o755);
  return dir;
}

describe.skipIf(skip)('the real builders on the graph (adopted tree)', () => {
  let ws: TempWorkspace;
  beforeAll(() => {
    ws = adoptedWorkspace({ prefix: 'lava-upstream-builders' });
  });
  afterAll(() => ws?.remove());

  const show = (project: string) => JSON.parse(ws.nx(['show', 'project', project, '--json']).stdout);

  it('lists every real builder by its file name, rocky9-p3.9 included, py3.8 left out (below setup.py’s python_requires)', () => {
    const result = ws.nx(['show', 'projects', '--projects', 'builder-*', '--json']);
    expect(result.exitCode, result.output).toBe(0);
    expect(JSON.parse(result.stdout).sort()).toEqual(REAL_BUILDERS.map((b) => `builder-${b}`).sort());
  });

  it('lists the real lava images of docker/os, not the legacy rocky9', () => {
    const result = ws.nx(['show', 'projects', '--projects', 'docker-*', '--json']);
    expect(JSON.parse(result.stdout).sort()).toEqual(['docker-amzn2023', 'docker-ubuntu24']);
    expect(show('docker-amzn2023').targets.check.executor).toBe('./tools/executors:docker-check');
  });

  it('tags py3.9 and rocky9 deprecated, as the guide says, and no other', () => {
    const deprecated = REAL_BUILDERS.filter((b) => show(`builder-${b}`).tags.includes('deprecated'));
    expect(deprecated.sort()).toEqual(['amzn2023-py3.9', 'rocky9-p3.9']);
    expect(show('builder-rocky9-p3.9').targets.build.metadata.description).toMatch(/^DEPRECATED \(/);
  });

  it('gives every builder its bundle variants; rocky9-p3.9 answers to rocky9-py3.9 and names its bundle so', () => {
    const targets = show('worker-bundle').targets;
    for (const b of REAL_BUILDERS) for (const arch of ['amd64', 'arm64']) expect(targets, `${b}-${arch}`).toHaveProperty(`pkg--${b}-${arch}`);
    expect(Object.keys(targets).filter((t) => t.includes('py3.8'))).toEqual([]);
    expect(targets.pkg.configurations['rocky9-py3.9-arm64']).toEqual({ target: 'pkg--rocky9-p3.9-arm64' });
    expect(targets.pkg.configurations['rocky9-p3.9-arm64']).toEqual({ target: 'pkg--rocky9-p3.9-arm64' });
    const version = JSON.parse(readFileSync(ws.path('packages/lava/lava/VERSION.json'), 'utf8')).__version_num__;
    expect(targets['pkg--rocky9-p3.9-arm64'].outputs).toEqual([`{workspaceRoot}/dist/pkg/rocky9/lava-${version}-rocky9-py3.9-aarch64.tar.bz2`]);
  });

  it('passes PIP_INDEX_URL to the real amzn2023-py3.13 Dockerfile as a build argument by name, warning once, redacted, about its credentials', () => {
    const project = show('builder-amzn2023-py3.13');
    expect(project.targets.build.options).toMatchObject({ runtime: 'amzn2023-py3.13', dockerfile: 'etc/builders/amzn2023-py3.13.Dockerfile', expectedRuntime: 'amzn2023-py3.13' });
    const log = ws.path('docker-argv.log');
    const bin = fakeDocker(ws.path('.fake-bin'), log, { id: 'amzn', version: '2023', py: '3.13' });
    const url = 'https://builder:Hunter2-s3cret@pypi.example.com/simple';
    const result = ws.nx(['run', 'builder-amzn2023-py3.13:build', '--skip-nx-cache'], { PATH: `${bin}:${process.env.PATH}`, PIP_INDEX_URL: url });
    expect(result.exitCode, result.output).toBe(0);
    const build = readFileSync(log, 'utf8').split('\n').find((l) => l.startsWith('buildx build'))!;
    expect(build).toContain('--build-arg PIP_INDEX_URL ');
    expect(build).not.toContain('Hunter2');
    const warnings = result.output.split('\n').filter((l) => l.includes('carries credentials'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('https://***@pypi.example.com/simple');
    expect(warnings[0]).toContain('visible in the image history');
    expect(result.output).not.toContain('Hunter2');
    expect(readFileSync(ws.path('dist/builders/amzn2023-py3.13/runtime'), 'utf8')).toBe('amzn2023-py3.13\n');
  });

  it('records the runtime rocky9-p3.9’s container reports and says it is deprecated when built', () => {
    const bin = fakeDocker(ws.path('.fake-bin-rocky'), ws.path('docker-argv-rocky.log'), { id: 'rocky', version: '9.6', py: '3.9' });
    const result = ws.nx(['run', 'builder-rocky9-p3.9:build', '--skip-nx-cache'], { PATH: `${bin}:${process.env.PATH}` });
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toMatch(/⚠ builder rocky9-p3\.9 is deprecated: /);
    expect(result.output).toContain('builder rocky9-p3.9 runs rocky9-py3.9');
    expect(readFileSync(ws.path('dist/builders/rocky9-p3.9/runtime'), 'utf8')).toBe('rocky9-py3.9\n');
  });
});
