import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp-dir';
import { configSecrets, indexUrlFromPipConfig, pipConfigValue, pipIndexEnv, pipInstallCommand, resolveIndexUrl, uvEnvFromPipConfig } from './pip';

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

  it('reads an index from pip’s config files with its credentials, as the installers need it', async () => {
    const conf = join(tempDir('pip-conf-'), 'pip.conf');
    writeFileSync(conf, '[global]\nindex-url = https://lava:s3cret-conf@mirror.example/simple\n');
    await expect(resolveIndexUrl('python3', { PIP_INDEX_URL: undefined, PIP_CONFIG_FILE: conf })).resolves.toBe('https://lava:s3cret-conf@mirror.example/simple');
  });

  it('asks pip for its configured index otherwise (PyPI when none)', async () => {
    const found = await resolveIndexUrl('python3', { PIP_INDEX_URL: undefined, PIP_CONFIG_FILE: '/dev/null' });
    expect(found).toMatch(/^https?:\/\//);
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
});
