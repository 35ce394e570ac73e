import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildFailure, conflictingProjects, explainPipFailure, failedRequirement, probeIndex, projectOf } from './pip-failure';

// Real pip output, trimmed: pip 26.3 and 23.2.1 building cx_Oracle 8.3.0 with setuptools 81+,
// and a C extension that does not compile.
const PKG_RESOURCES_26 = `Collecting cx_Oracle==8.3.0 (from -r requirements.txt (line 11))
  Downloading cx_Oracle-8.3.0.tar.gz (363 kB)
  Installing build dependencies: started
  Installing build dependencies: finished with status 'done'
  Getting requirements to build wheel: started
  Getting requirements to build wheel: finished with status 'error'
  error: subprocess-exited-with-error

  × Getting requirements to build wheel did not run successfully.
  │ exit code: 1
  ╰─> [19 lines of output]
      Traceback (most recent call last):
        File "/tmp/pip-build-env-8z9pjxgj/overlay/lib/python3.11/site-packages/setuptools/build_meta.py", line 317, in run_setup
          exec(code, locals())  # noqa: S102 # exec is intentional here
        File "<string>", line 6, in <module>
      ModuleNotFoundError: No module named 'pkg_resources'
      [end of output]

  note: This error originates from a subprocess, and is likely not a problem with pip.
ERROR: Failed to build 'cx_Oracle' when getting requirements to build wheel
`;
const PKG_RESOURCES_23 = PKG_RESOURCES_26.replace(/ERROR: Failed to build .*\n/, 'error: subprocess-exited-with-error\n');
const COMPILER = `Processing ./broken
  Building wheel for brokenext (pyproject.toml): started
  Building wheel for brokenext (pyproject.toml): finished with status 'error'
  error: subprocess-exited-with-error

  × Building wheel for brokenext (pyproject.toml) did not run successfully.
  │ exit code: 1
  ╰─> [14 lines of output]
      running build_ext
      building 'brokenext' extension
      x86_64-linux-gnu-gcc -fPIC -I/usr/include/python3.11 -c brokenext.c -o build/temp/brokenext.o
      brokenext.c: In function ‘f’:
      brokenext.c:2:22: error: ‘undeclared_thing’ undeclared (first use in this function)
          2 | int f(void) { return undeclared_thing; }
      brokenext.c:2:22: note: each undeclared identifier is reported only once for each function it appears in
      error: command '/usr/bin/x86_64-linux-gnu-gcc' failed with exit code 1
      [end of output]

  note: This error originates from a subprocess, and is likely not a problem with pip.
  ERROR: Failed building wheel for brokenext
Failed to build brokenext
error: failed-wheel-build-for-install

× Failed to build installable wheels for some pyproject.toml based projects
╰─> brokenext
`;
const CONFLICT = `Collecting boto3==1.39.16 (from -r requirements.txt (line 1))
Collecting botocore==1.44.8 (from -r requirements-extra.txt (line 2))
ERROR: Cannot install -r requirements.txt (line 1) and botocore==1.44.8 because these package versions have conflicting dependencies.

The conflict is caused by:
    The user requested botocore==1.44.8
    boto3 1.39.16 depends on botocore<1.40.0 and >=1.39.16

Additionally, some packages in these conflicts have no matching distributions available for your environment:
    botocore

To fix this you could try to:
1. loosen the range of package versions you've specified
`;

describe('buildFailure', () => {
  it('names the package whose build failed and what its build said last', () => {
    expect(buildFailure(PKG_RESOURCES_26)).toEqual({
      project: 'cx_Oracle',
      lines: ['exec(code, locals())  # noqa: S102 # exec is intentional here', 'File "<string>", line 6, in <module>', "ModuleNotFoundError: No module named 'pkg_resources'"],
    });
    expect(buildFailure(PKG_RESOURCES_23)?.project).toBe('cx_Oracle');
    expect(buildFailure(COMPILER)).toEqual({
      project: 'brokenext',
      lines: [
        'brokenext.c:2:22: error: ‘undeclared_thing’ undeclared (first use in this function)',
        '2 | int f(void) { return undeclared_thing; }',
        'brokenext.c:2:22: note: each undeclared identifier is reported only once for each function it appears in',
      ],
    });
    expect(buildFailure(CONFLICT)).toBeUndefined();
  });
});

describe('explainPipFailure: builds and conflicts are not the index’s fault', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pip-explain-'));
    await writeFile(join(dir, 'requirements.txt'), '# pins\nboto3==1.39.16\n');
    await writeFile(join(dir, 'requirements-extra.txt'), 'pyodbc==5.2.0\nbotocore==1.44.8  # newer\n');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const files = () => [
    { path: join(dir, 'requirements.txt'), shownAs: 'packages/lava/requirements.txt' },
    { path: join(dir, 'requirements-extra.txt'), shownAs: 'packages/lava/requirements-extra.txt' },
  ];

  it('names the package that failed to build with its last lines, and the build constraints as the fix', () => {
    const error = explainPipFailure(PKG_RESOURCES_26, 'https://pypi.org/simple', files());
    expect(error.message).toBe(
      'pip could not build cx_Oracle from source: exec(code, locals())  # noqa: S102 # exec is intentional here | File "<string>", line 6, in <module> | ' +
        "ModuleNotFoundError: No module named 'pkg_resources'; run: add the setuptools it needs (e.g. setuptools<81) to tools/python/build-constraints.txt",
    );
    expect(error.message).not.toMatch(/index/);
    const compiler = explainPipFailure(COMPILER, 'https://pypi.org/simple', files());
    expect(compiler.problem).toMatch(/^pip could not build brokenext from source: brokenext\.c:2:22: error: ‘undeclared_thing’ undeclared/);
    expect(compiler.message).not.toMatch(/index/);
  });

  it('gives a conflict as one line naming both files and lines', () => {
    expect(conflictingProjects(CONFLICT)?.projects).toEqual(['botocore', 'boto3']);
    const error = explainPipFailure(CONFLICT, 'https://pypi.org/simple', files());
    expect(error.message.split('\n')).toHaveLength(1);
    expect(error.problem).toBe(
      'the requirements conflict: packages/lava/requirements.txt:2 boto3==1.39.16 and packages/lava/requirements-extra.txt:2 botocore==1.44.8 ' +
        '(The user requested botocore==1.44.8; boto3 1.39.16 depends on botocore<1.40.0 and >=1.39.16)',
    );
    expect(error.message).not.toMatch(/index/);
  });

  it('blames nothing it cannot see: an unexplained failure points at the output', () => {
    expect(explainPipFailure('ERROR: something else\n', 'https://pypi.org/simple', files()).message).toBe(
      'pip failed installing packages/lava/requirements.txt packages/lava/requirements-extra.txt (see its output above); run: check the pins in packages/lava/requirements.txt packages/lava/requirements-extra.txt',
    );
  });
});

describe('explainPipFailure', () => {
  const refused = [
    "WARNING: Retrying (Retry(total=0)) after connection broken by 'NewConnectionError('<x>: Failed to establish a new connection: [Errno 111] Connection refused')': /simple/tinypure/",
    'ERROR: Could not find a version that satisfies the requirement tinypure==1.0 (from versions: none)',
    'ERROR: No matching distribution found for tinypure==1.0',
  ].join('\n');

  it('names the package and the redacted index when the index is unreachable', () => {
    const error = explainPipFailure(refused, 'http://user:hunter22@127.0.0.1:9/simple', 'requirements.txt');
    expect(error.problem).toBe('pip could not get tinypure==1.0 from http://***@127.0.0.1:9/simple (the index is unreachable)');
    expect(error.message).not.toContain('hunter22');
    expect(error.message).toContain('; run: check PIP_INDEX_URL');
  });

  it('says the index lacks the package when it answered', () => {
    const error = explainPipFailure(refused.split('\n').slice(1).join('\n'), 'https://pypi.org/simple', 'r.txt');
    expect(error.problem).toBe('pip could not get tinypure==1.0 from https://pypi.org/simple (the index has no such package or version)');
  });

  it('reads coloured pip output', () => {
    const coloured = '\x1b[31mERROR: No matching distribution found for tinypure==1.0\x1b[0m\n';
    expect(explainPipFailure(coloured, 'https://pypi.org/simple', 'r.txt').problem).toBe(
      'pip could not get tinypure==1.0 from https://pypi.org/simple (the index has no such package or version)',
    );
  });

  it('reads uv output too', () => {
    const uv = 'error: Request failed after 3 retries\n  cause: Failed to fetch: http://127.0.0.1:9/simple/tinyplat/\n  cause: tcp connect error';
    expect(explainPipFailure(uv, 'http://127.0.0.1:9/simple', 'r.txt').problem).toBe(
      'pip could not get tinyplat from http://127.0.0.1:9/simple (the index is unreachable)',
    );
  });
});

describe('probeIndex', () => {
  it('asks for the project page with the URL’s credentials and reports the status', async () => {
    const server = createServer((req, res) => {
      const ok = req.headers.authorization === `Basic ${Buffer.from('u:p w').toString('base64')}`;
      res.statusCode = !ok ? 401 : req.url === '/simple/tinypure/' ? 200 : 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `127.0.0.1:${(server.address() as AddressInfo).port}/simple`;
    try {
      expect(await probeIndex(`http://u:p%20w@${base}`, 'tinypure')).toEqual({ kind: 'status', status: 200 });
      expect(await probeIndex(`http://u:p%20w@${base}/`, 'nope')).toEqual({ kind: 'status', status: 404 });
      expect(await probeIndex(`http://u:wrong@${base}`, 'tinypure')).toEqual({ kind: 'status', status: 401 });
      expect(await probeIndex('http://127.0.0.1:9/simple', 'tinypure')).toEqual({ kind: 'unreachable' });
    } finally {
      server.close();
    }
  });

  it('reads the project out of a requirement', () => {
    expect(projectOf('PyYAML[extra]==6.0.2')).toBe('pyyaml');
    expect(projectOf('smart_open[s3]>=7 ; python_version>"3.8"')).toBe('smart-open');
  });

  it('turns the answer into the reason', () => {
    const out = 'ERROR: No matching distribution found for tinypure==1.0';
    const reason = (status: number) => explainPipFailure(out, 'http://h/simple', 'r.txt', { kind: 'status', status }).problem;
    expect(reason(401)).toBe('pip could not get tinypure==1.0 from http://h/simple (the index refused the credentials: HTTP 401)');
    expect(reason(404)).toMatch(/\(the index has no such package\)$/);
    expect(reason(200)).toMatch(/\(the index has no matching version or file for this Python and platform\)$/);
  });
});

describe('uv’s accounts', () => {
  it('reads uv 0.13’s account of a conflict and of a missing project, naming the pin', () => {
    const conflict = 'error: No solution found when resolving dependencies\n  cause: Because you require six==1.16.0 and six==1.17.0, we can conclude that your requirements are unsatisfiable.\n';
    expect(conflictingProjects(conflict)?.projects).toEqual(['six']);
    const missing = 'error: No solution found when resolving dependencies\n  cause: Because tinypure was not found in the package registry and you require tinypure==1.0, we can conclude that your requirements are unsatisfiable.\n';
    expect(failedRequirement(missing)).toBe('tinypure');
  });
});
