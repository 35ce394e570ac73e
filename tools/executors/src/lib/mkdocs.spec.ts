import { describe, expect, it } from 'vitest';
import { buildArgs, firstProblem, guideEnv, serveArgs, templateNames } from './mkdocs';

describe('templateNames', () => {
  it('names templates by file and orders them by bytes, not by locale', () => {
    const names = templateNames(['/d/lava-realm.cfn.json', '/d/lava-Zeta.cfn.json', '/d/lava-common.cfn.json', '/d/lava-_x.cfn.json']);
    // byte order: "Z" (0x5a) < "_" (0x5f) < "c" (0x63); a locale collation would put "Zeta" last
    expect(names.map((n) => n.name)).toEqual(['lava-Zeta', 'lava-_x', 'lava-common', 'lava-realm']);
    expect(names[0].file).toBe('/d/lava-Zeta.cfn.json');
  });
});

describe('firstProblem', () => {
  it('returns the first mkdocs warning without its log prefix or colours', () => {
    const output = [
      'INFO    -  Cleaning site directory',
      "\x1b[33mWARNING \x1b[0m-  Doc file 'index.md' contains a link 'nope.md', but the target is not found among documentation files.",
      'WARNING -  another one',
      'Aborted with 2 warnings in strict mode!',
    ].join('\n');
    expect(firstProblem(output)).toBe("Doc file 'index.md' contains a link 'nope.md', but the target is not found among documentation files");
  });

  it('names the pages a multi-line warning lists', () => {
    const output = 'WARNING -  The following pages exist in the docs directory, but are not included in the "nav" configuration:\n  - orphan.md\n  - other.md\nAborted';
    expect(firstProblem(output)).toBe(
      'The following pages exist in the docs directory, but are not included in the "nav" configuration: orphan.md, other.md',
    );
  });

  it('returns nothing when mkdocs failed without a warning line', () => {
    expect(firstProblem('Traceback (most recent call last):\n  boom')).toBeUndefined();
  });
});

describe('mkdocs command lines', () => {
  it('builds in strict mode into the given site directory', () => {
    expect(buildArgs('/w/mkdocs.yml', '/w/dist/doc/.site.tmp')).toEqual([
      'build', '--strict', '--clean', '--config-file', '/w/mkdocs.yml', '--site-dir', '/w/dist/doc/.site.tmp',
    ]);
  });

  it('serves with live reload on the given address', () => {
    expect(serveArgs('/w/mkdocs.yml', '127.0.0.1:8123')).toEqual([
      'serve', '--config-file', '/w/mkdocs.yml', '--dev-addr', '127.0.0.1:8123', '--livereload',
    ]);
  });

  it('hands the hook the full version and the generated pages', () => {
    expect(guideEnv({ num: '8.2.0', name: 'Kilauea', full: '8.2.0 (Kilauea)' }, '/tmp/pages')).toMatchObject({
      LAVA_DOCS_VERSION: '8.2.0 (Kilauea)',
      LAVA_DOCS_GENERATED: '/tmp/pages',
    });
  });

  it('fixes the build date so the same inputs give the same site bytes', () => {
    const version = { num: '8.2.0', name: 'Kilauea', full: '8.2.0 (Kilauea)' };
    expect(guideEnv(version, '/p').SOURCE_DATE_EPOCH).toMatch(/^\d+$/);
    expect(guideEnv(version, '/p').SOURCE_DATE_EPOCH).toBe(guideEnv(version, '/p').SOURCE_DATE_EPOCH);
  });
});
