import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildFailure,
  cleanPylib,
  configSecrets,
  conflictingProjects,
  explainPipFailure,
  failedRequirement,
  indexUrlFromPipConfig,
  installRequirements,
  pipConfigValue,
  pipIndexEnv,
  pipInstallCommand,
  probeIndex,
  projectOf,
  resolveIndexUrl,
  uvEnvFromPipConfig,
} from './pip';
import { pinnedVersion } from './venv';

describe('pipInstallCommand', () => {
  it('builds pip install --target with no bytecode and no index in argv', () => {
    const command = pipInstallCommand({ python: 'python3', requirements: 'requirements.txt', target: '/b/pylib' });
    expect(command.file).toBe('python3');
    expect(command.args.slice(0, 3)).toEqual(['-m', 'pip', 'install']);
    expect(command.args).toContain('--no-compile');
    expect(command.args).toContain('--ignore-installed');
    expect(command.args.join(' ')).toContain('--target /b/pylib --requirement requirements.txt');
    expect(command.args.join(' ')).not.toMatch(/index/);
  });

  it('builds the uv equivalent for the same interpreter', () => {
    const command = pipInstallCommand({ python: '/usr/bin/python3', requirements: 'r.txt', target: 'pylib', installer: 'uv' });
    expect(command).toEqual({
      file: 'uv',
      args: ['pip', 'install', '--python', '/usr/bin/python3', '--no-progress', '--target', 'pylib', '--requirement', 'r.txt'],
    });
  });
});

describe('pipInstallCommand for the worker bundle', () => {
  it('resolves every requirement file in one install, with the build constraints for sdist builds only', () => {
    const command = pipInstallCommand({
      python: 'python3',
      runner: '/ws/.venv/bin/python',
      requirements: ['requirements.txt', 'requirements-extra.txt'],
      target: 'pylib',
      buildConstraints: '/ws/tools/python/build-constraints.txt',
    });
    expect(command.file).toBe('/ws/.venv/bin/python');
    expect(command.args.slice(0, 5)).toEqual(['-m', 'pip', '--python', 'python3', 'install']);
    expect(command.args.join(' ')).toContain(
      '--target pylib --build-constraint /ws/tools/python/build-constraints.txt --requirement requirements.txt --requirement requirements-extra.txt',
    );
    // A constraint for the bundle's own resolution would change what it ships.
    expect(command.args).not.toContain('--constraint');
    expect(command.args).toContain('--no-warn-conflicts');
  });

  it('runs the interpreter’s own pip when no runner is given, and uv with its own flag', () => {
    expect(pipInstallCommand({ python: 'python3', requirements: 'r.txt', target: 't' }).args.slice(0, 3)).toEqual(['-m', 'pip', 'install']);
    const uv = pipInstallCommand({ python: 'python3', requirements: ['a.txt', 'b.txt'], target: 't', installer: 'uv', buildConstraints: 'bc.txt' });
    expect(uv.args.join(' ')).toContain('--build-constraints bc.txt --requirement a.txt --requirement b.txt');
  });
});

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

describe('pipIndexEnv', () => {
  it('passes the index to pip or uv through the environment only', () => {
    expect(pipIndexEnv(undefined)).toEqual({});
    expect(pipIndexEnv('https://u:p@h/simple')).toEqual({ PIP_INDEX_URL: 'https://u:p@h/simple' });
    expect(pipIndexEnv('https://h/simple', 'uv')).toEqual({ UV_INDEX_URL: 'https://h/simple', UV_DEFAULT_INDEX: 'https://h/simple' });
  });
});

describe('indexUrlFromPipConfig', () => {
  it('prefers the environment, then install, then global, as make did', () => {
    const all = ["global.index-url='https://g/simple'", "install.index-url='https://i/simple'", ":env:.index-url='https://e/simple'"];
    expect(indexUrlFromPipConfig(all.join('\n'))).toBe('https://e/simple');
    expect(indexUrlFromPipConfig(all.slice(0, 2).join('\n'))).toBe('https://i/simple');
    expect(indexUrlFromPipConfig(all[0])).toBe('https://g/simple');
    expect(indexUrlFromPipConfig(":env:.find-links='/opt/wheels'\nglobal.cert='/etc/ssl/x.crt'")).toBeUndefined();
  });
});

describe('resolveIndexUrl', () => {
  it('takes PIP_INDEX_URL as pip would, without asking pip', async () => {
    await expect(resolveIndexUrl('python3-not-run', { PIP_INDEX_URL: 'https://u:p@mirror/simple' })).resolves.toBe('https://u:p@mirror/simple');
  });

  it('asks pip for its configured index otherwise (PyPI when none)', async () => {
    const found = await resolveIndexUrl('python3', { PIP_INDEX_URL: undefined, PIP_CONFIG_FILE: '/dev/null' });
    expect(found).toMatch(/^https?:\/\//);
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

describe('installRequirements', () => {
  it('fails with one line and keeps the credentials out of message and detail', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pip-spec-'));
    try {
      await writeFile(join(dir, 'r.txt'), 'lava-no-such-package-xyz==1.0\n');
      const failure = installRequirements({
        python: 'python3',
        requirements: join(dir, 'r.txt'),
        target: join(dir, 'pylib'),
        indexUrl: 'http://user:hunter22@127.0.0.1:9/simple',
        passIndex: true,
        run: { stream: false, env: { PIP_RETRIES: '1' } },
      });
      const error = await failure.then(
        () => undefined,
        (e: unknown) => e as { message: string; detail?: string },
      );
      expect(error?.message).toMatch(/^pip could not get lava-no-such-package-xyz==1\.0 from http:\/\/\*\*\*@127\.0\.0\.1:9\/simple \(the index is unreachable\)/);
      expect(`${error?.message}\n${error?.detail}`).not.toContain('hunter22');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('cleanPylib', () => {
  let pylib: string;
  beforeEach(async () => {
    pylib = await mkdtemp(join(tmpdir(), 'pylib-spec-'));
  });
  afterEach(() => rm(pylib, { recursive: true, force: true }));

  it('drops installer records and bytecode, keeps metadata and .so, makes shebangs portable', async () => {
    const files: Record<string, string> = {
      'yaml/__init__.py': 'x = 1\n',
      'yaml/_yaml.cpython-311-x86_64-linux-gnu.so': 'ELF',
      'yaml/__pycache__/__init__.cpython-311.pyc': 'pyc',
      'stray.pyc': 'pyc',
      'PyYAML-6.0.2.dist-info/METADATA': 'Name: PyYAML\n',
      'PyYAML-6.0.2.dist-info/RECORD': 'yaml/__init__.py,sha256=x,6\n',
      'PyYAML-6.0.2.dist-info/INSTALLER': 'pip\n',
      'PyYAML-6.0.2.dist-info/direct_url.json': '{"url": "file:///build/path"}',
      'PyYAML-6.0.2.dist-info/top_level.txt': 'yaml\n',
      'bin/tool': '#!/tmp/clone-a/.venv/bin/python3.11\nimport sys\n',
      'bin/shell-tool': '#!/bin/sh\necho hi\n',
      // uv's own: the --target lock, REQUESTED on every distribution, its build record.
      '.lock': '',
      'PyYAML-6.0.2.dist-info/REQUESTED': '',
      'PyYAML-6.0.2.dist-info/uv_build.json': '{}',
    };
    for (const [path, text] of Object.entries(files)) {
      await mkdir(join(pylib, path, '..'), { recursive: true });
      await writeFile(join(pylib, path), text);
    }
    const report = await cleanPylib(pylib);
    expect(report).toEqual({ removed: 8, shebangs: 1 });
    expect((await readdir(pylib)).includes('.lock')).toBe(false);
    expect((await readdir(join(pylib, 'yaml'))).sort()).toEqual(['__init__.py', '_yaml.cpython-311-x86_64-linux-gnu.so']);
    expect((await readdir(join(pylib, 'PyYAML-6.0.2.dist-info'))).sort()).toEqual(['METADATA', 'top_level.txt']);
    expect(await readFile(join(pylib, 'bin/tool'), 'utf8')).toBe('#!/usr/bin/env python3\nimport sys\n');
    expect(await readFile(join(pylib, 'bin/shell-tool'), 'utf8')).toBe('#!/bin/sh\necho hi\n');
  });

  it('rewrites a shebang into a new file, leaving a hard-linked original (uv’s cache) untouched', async () => {
    const { link, stat } = await import('node:fs/promises');
    const cache = join(pylib, '..', `${pylib.split('/').pop()}-cache`);
    await mkdir(cache, { recursive: true });
    await writeFile(join(cache, 'tool'), '#!/build/venv/bin/python3\nimport sys\n', { mode: 0o755 });
    await mkdir(join(pylib, 'bin'), { recursive: true });
    await link(join(cache, 'tool'), join(pylib, 'bin/tool'));
    try {
      expect((await cleanPylib(pylib)).shebangs).toBe(1);
      expect(await readFile(join(pylib, 'bin/tool'), 'utf8')).toBe('#!/usr/bin/env python3\nimport sys\n');
      expect((await stat(join(pylib, 'bin/tool'))).mode & 0o777).toBe(0o755);
      expect(await readFile(join(cache, 'tool'), 'utf8')).toBe('#!/build/venv/bin/python3\nimport sys\n');
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });
});

describe('uv fed with pip’s settings', () => {
  const list = [
    ":env:.find-links='/opt/wheels /srv/more'",
    ":env:.extra-index-url='https://u:s3cret@extra.example/simple https://two.example/simple'",
    "global.index-url='https://mirror.example/simple'",
    "global.trusted-host='mirror.example'",
    "global.cert='/etc/ssl/ca.pem'",
    "install.no-index='false'",
  ].join('\n');

  it('ranks the environment over install. over global., as pip does', () => {
    expect(pipConfigValue("global.index-url='g'\ninstall.index-url='i'", 'index-url')).toBe('i');
    expect(pipConfigValue("global.index-url='g'\n:env:.index-url='e'\ninstall.index-url='i'", 'index-url')).toBe('e');
    expect(pipConfigValue('', 'index-url')).toBeUndefined();
  });

  it('gives uv the index, extra indexes searched together, find-links, trusted hosts and the CA, and none of uv’s own config', () => {
    expect(uvEnvFromPipConfig(list, 'https://mirror.example/simple')).toEqual({
      UV_NO_CONFIG: '1',
      UV_INDEX_STRATEGY: 'unsafe-best-match',
      UV_LINK_MODE: 'hardlink',
      UV_INDEX_URL: 'https://mirror.example/simple',
      UV_DEFAULT_INDEX: 'https://mirror.example/simple',
      UV_INDEX: 'https://u:s3cret@extra.example/simple https://two.example/simple',
      UV_FIND_LINKS: '/opt/wheels,/srv/more',
      UV_INSECURE_HOST: 'mirror.example',
      SSL_CERT_FILE: '/etc/ssl/ca.pem',
    });
    expect(uvEnvFromPipConfig(":env:.no-index='1'", 'https://pypi.org/simple').UV_NO_INDEX).toBe('1');
  });

  it('collects the credentials of every URL in pip’s settings for redaction', () => {
    expect(configSecrets(list)).toEqual(expect.arrayContaining(['s3cret', 'u:s3cret']));
    expect(configSecrets("global.index-url='https://pypi.org/simple'")).toEqual([]);
  });

  it('reads uv 0.13’s account of a conflict and of a missing project, naming the pin', () => {
    const conflict = 'error: No solution found when resolving dependencies\n  cause: Because you require six==1.16.0 and six==1.17.0, we can conclude that your requirements are unsatisfiable.\n';
    expect(conflictingProjects(conflict)?.projects).toEqual(['six']);
    const missing = 'error: No solution found when resolving dependencies\n  cause: Because tinypure was not found in the package registry and you require tinypure==1.0, we can conclude that your requirements are unsatisfiable.\n';
    expect(failedRequirement(missing)).toBe('tinypure');
  });
});

describe('pinnedVersion', () => {
  it('finds a pin by its PEP 503 name, extras and markers aside', () => {
    const text = '# tools\nUV == 0.13.8 ; python_version >= "3.8"\nmoto[server]==5.2.5\nuvicorn==1.0\n';
    expect(pinnedVersion(text, 'uv')).toBe('0.13.8');
    expect(pinnedVersion(text, 'moto')).toBe('5.2.5');
    expect(pinnedVersion(text, 'pip')).toBeUndefined();
  });
});
