import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLinkStub, readLavaTree, repointLink, translateGitignore, withAdoptedGitignore, workspacePathOf } from './adopt';
import { tempDir } from '../../testing/temp-dir';

function tree(files: Record<string, string | { link: string } | { exec: string }>): string {
  const root = tempDir('lava-adopt-spec-');
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    if (typeof content === 'string') writeFileSync(full, content);
    else if ('link' in content) symlinkSync(content.link, full);
    else {
      writeFileSync(full, content.exec);
      chmodSync(full, 0o755);
    }
  }
  return root;
}

describe('workspacePathOf', () => {
  it('maps each real folder to its workspace folder and the rest to packages/lava', () => {
    expect(workspacePathOf('cfn/lava-common.cfn.json')).toBe('packages/cfn/lava-common.cfn.json');
    expect(workspacePathOf('doc/user-guide/01-About-Lava.md')).toBe('packages/docs/user-guide/01-About-Lava.md');
    expect(workspacePathOf('dev-tools/lava-item.py')).toBe('packages/dev-tools/lava-item.py');
    expect(workspacePathOf('etc/builders/rocky9-p3.9.Dockerfile')).toBe('etc/builders/rocky9-p3.9.Dockerfile');
    expect(workspacePathOf('etc/pkg.sh')).toBe('packages/lava/etc/pkg.sh');
    expect(workspacePathOf('external-packages/oracle/README.md')).toBe('external-packages/oracle/README.md');
    expect(workspacePathOf('setup.py')).toBe('packages/lava/setup.py');
    expect(workspacePathOf('lava/VERSION.json')).toBe('packages/lava/lava/VERSION.json');
    // A name that only starts like a mapped folder stays with the root.
    expect(workspacePathOf('docker-compose.yaml')).toBe('packages/lava/docker-compose.yaml');
  });
});

describe('repointLink', () => {
  it('keeps a link inside one moved folder as it is', () => {
    expect(repointLink('bin/lava', '../lava')).toBe('../lava');
    expect(repointLink('docker/os/amzn2023/base/utils.sh', '../../../common/utils.sh')).toBe('../../../common/utils.sh');
  });

  it('re-points a link that crosses moved folders so it reaches the same file', () => {
    expect(repointLink('docker/packages/instantclient-basiclite-linux-x64.zip', '../../external-packages/oracle/instantclient-basiclite-linux-x64.zip')).toBe(
      '../../../external-packages/oracle/instantclient-basiclite-linux-x64.zip',
    );
    expect(repointLink('ami/deploy', '../deploy')).toBe('../lava/deploy');
    expect(repointLink('ami/resources/local/bin/jinja', '../../../../etc/jinja')).toBe('../../../../lava/etc/jinja');
    expect(repointLink('doc/mkdocs/docs/img', '../../img')).toBe('../../img');
  });

  it('keeps absolute targets and targets outside the tree', () => {
    expect(repointLink('ami/resources/etc/skel/.aws/config', '/usr/local/etc/aws/config')).toBe('/usr/local/etc/aws/config');
    expect(repointLink('cfn/x', '../../elsewhere')).toBe('../../elsewhere');
  });
});

describe('isLinkStub', () => {
  it('takes a small newline-free path whose folder exists as a link git could not make', () => {
    const root = tree({
      'docker/packages/a.zip': '../../external-packages/oracle/a.zip',
      'external-packages/oracle/README.md': 'downloads go here\n',
      'bin/lava': '../lava',
      'lava/VERSION.json': '{}\n',
      'lava/notes.txt': 'a line of text\n',
      'lava/word': 'hello',
      'lava/abs': '/usr/local/etc/aws/config',
    });
    expect(isLinkStub(root, 'docker/packages/a.zip')).toBe(true);
    expect(isLinkStub(root, 'bin/lava')).toBe(true);
    expect(isLinkStub(root, 'lava/abs')).toBe(true);
    expect(isLinkStub(root, 'lava/notes.txt')).toBe(false);
    expect(isLinkStub(root, 'lava/VERSION.json')).toBe(false);
    // A bare word resolves beside itself, to a folder that exists: still only a stub if it names a path there.
    expect(isLinkStub(root, 'lava/word')).toBe(true);
  });
});

describe('readLavaTree', () => {
  it('refuses a folder that is not a lava checkout, in one line', () => {
    const root = tree({ 'README.md': 'not lava\n' });
    expect(() => readLavaTree(root)).toThrow(/is not a lava checkout \(no lava\/VERSION\.json\); run: npx nx g/);
  });

  it('reads links, link stubs and executables from an export', () => {
    const root = tree({
      'lava/VERSION.json': '{"__version_num__": "8.2.0"}\n',
      'bin/lava': { link: '../lava' },
      'bin/lava-run': { exec: '#!/bin/sh\n' },
      'docker/packages/a.zip': '../../external-packages/oracle/a.zip',
      'external-packages/oracle/README.md': 'x\n',
    });
    expect(readLavaTree(root)).toEqual([
      { path: 'bin/lava', kind: 'link', executable: false, target: '../lava' },
      { path: 'bin/lava-run', kind: 'file', executable: true },
      { path: 'docker/packages/a.zip', kind: 'link', executable: false, target: '../../external-packages/oracle/a.zip' },
      { path: 'external-packages/oracle/README.md', kind: 'file', executable: false },
      { path: 'lava/VERSION.json', kind: 'file', executable: false },
    ]);
  });

  it('takes only tracked files from a git clone, and its links from the index even when checked out as files', () => {
    const root = tree({
      'lava/VERSION.json': '{}\n',
      'bin/lava': { link: '../lava' },
      'venv/junk.py': 'untracked\n',
    });
    const git = (...args: string[]) => execFileSync('git', ['-C', root, ...args], { stdio: 'pipe' });
    git('init', '-q');
    git('add', 'lava', 'bin');
    rmSync(join(root, 'bin/lava'));
    writeFileSync(join(root, 'bin/lava'), '../lava'); // as git checks a link out with core.symlinks=false
    expect(readLavaTree(root)).toEqual([
      { path: 'bin/lava', kind: 'link', executable: false, target: '../lava' },
      { path: 'lava/VERSION.json', kind: 'file', executable: false },
    ]);
  });
});

describe('translateGitignore', () => {
  it('moves anchored patterns with their folders and keeps the others', () => {
    const text = ['# comment', '*.zip', 'build/', 'docker/os/*/Dockerfile.base', 'doc/~*', '/cfn/tmp', '!doc/keep', '*/x/y', ''].join('\n');
    expect(translateGitignore(text)).toBe(
      ['# comment', '*.zip', 'build/', '/packages/docker/os/*/Dockerfile.base', '/packages/docs/~*', '/packages/cfn/tmp', '!/packages/docs/keep', '/packages/lava/*/x/y', ''].join('\n'),
    );
  });

  it('adds the section once and replaces it on a later adoption', () => {
    const once = withAdoptedGitignore('node_modules/\n', '*.zip\n');
    expect(once).toContain('node_modules/\n\n# ---- lava');
    const twice = withAdoptedGitignore(once, '*.log\n');
    expect(twice).not.toContain('*.zip');
    expect(twice.match(/# ---- lava/g)).toHaveLength(1);
    expect(twice).toContain('*.log\n# ---- end lava ----\n');
  });
});
