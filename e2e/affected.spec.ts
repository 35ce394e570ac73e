// What `nx affected` selects, exactly, on a git fixture of this workspace:
// each case commits one change and reads nx's own account of the affected
// tasks (`--explain=stdout`: the tasks it would run and why, running nothing).
import { execFileSync } from 'node:child_process';
import { appendFileSync, readdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyWorkspace, type TempWorkspace } from './support/workspace';

let ws: TempWorkspace;
const git = (...args: string[]) => execFileSync('git', args, { cwd: ws.root, stdio: 'pipe' }).toString();

beforeAll(() => {
  ws = copyWorkspace({ git: true, prefix: 'lava-affected' });
});
afterAll(() => ws.remove());

interface Explained {
  affected: Record<string, Array<{ kind: string; file?: string; producer?: string }>>;
}

/** Commits `edit`, asks nx which `targets` tasks that commit affects, then drops the commit. */
function affectedBy(edit: () => void, targets = ['build']): Explained['affected'] {
  edit();
  git('add', '-A');
  git('commit', '-q', '-m', 'change under test');
  try {
    const run = ws.nx(['affected', '-t', ...targets, '--base=HEAD~1', '--head=HEAD', '--explain=stdout']);
    expect(run.exitCode, run.output).toBe(0);
    return (JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as Explained).affected;
  } finally {
    git('reset', '-q', '--hard', 'HEAD~1');
  }
}

const tasks = (affected: Explained['affected']) => Object.keys(affected).sort();
const dirs = (path: string) => readdirSync(ws.path(path), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const lambdaBuilds = () => dirs('packages/lambda').map((name) => `lambda-${name}:build`);

describe('nx affected -t build', () => {
  it('a change in one lambda folder affects that lambda only', () => {
    const [first] = dirs('packages/lambda').sort();
    const handler = readdirSync(ws.path('packages/lambda', first)).find((f) => f.endsWith('.py'));
    expect(handler).toBeDefined();
    const affected = affectedBy(() => appendFileSync(ws.path('packages/lambda', first, handler as string), '\n# touched\n'));
    expect(tasks(affected)).toEqual([`lambda-${first}:build`]);
  });

  it('a builder Dockerfile affects that builder and the lambdas that read its image digest, no other builder', () => {
    const affected = affectedBy(() => appendFileSync(ws.path('etc/builders/amzn2023-py3.13.Dockerfile'), '\n# touched\n'));
    expect(tasks(affected)).toEqual(['builder-amzn2023-py3.13:build', ...lambdaBuilds()].sort());
    for (const lambda of lambdaBuilds()) {
      expect(affected[lambda]).toEqual([{ kind: 'dependent-output', producer: 'builder-amzn2023-py3.13:build' }]);
    }
  });

  it('a builder Dockerfile affects the worker bundles built in it, and no bundle of another builder', () => {
    const variants = ['amzn2023-py3.13-amd64', 'amzn2023-py3.13-arm64', 'amzn2023-py3.12-arm64'].map((v) => `pkg--${v}`);
    const affected = affectedBy(() => appendFileSync(ws.path('etc/builders/amzn2023-py3.13.Dockerfile'), '\n# touched\n'), ['build', ...variants]);
    const bundles = ['worker-bundle:pkg--amzn2023-py3.13-amd64', 'worker-bundle:pkg--amzn2023-py3.13-arm64'];
    expect(tasks(affected)).toEqual(['builder-amzn2023-py3.13:build', ...lambdaBuilds(), ...bundles].sort());
    for (const bundle of bundles) {
      expect(affected[bundle]).toEqual([{ kind: 'dependent-output', producer: 'builder-amzn2023-py3.13:build' }]);
    }
  });

  it('a builder no artefact uses affects that builder only', () => {
    const affected = affectedBy(() => appendFileSync(ws.path('etc/builders/amzn2023-py3.11.Dockerfile'), '\n# touched\n'));
    expect(tasks(affected)).toEqual(['builder-amzn2023-py3.11:build']);
  });

  it('a CloudFormation template affects cfn:build and the guide, which renders its source', () => {
    const affected = affectedBy(() => appendFileSync(ws.path('packages/cfn/lava-common.cfn.json'), '\n'));
    expect(tasks(affected)).toEqual(['cfn:build', 'docs:build']);
    expect(affected['docs:build']).toEqual([{ kind: 'input-file', file: 'packages/cfn/lava-common.cfn.json', pattern: 'packages/cfn/*.cfn.json' }]);
  });

  it('an item template affects the guide only (its samples page)', () => {
    const affected = affectedBy(() => appendFileSync(ws.path('packages/dev-tools/templates/job/cmd.yaml'), '# touched\n'));
    expect(tasks(affected)).toEqual(['docs:build']);
    expect(affected['docs:build']).toEqual([{ kind: 'input-file', file: 'packages/dev-tools/templates/job/cmd.yaml', pattern: 'packages/dev-tools/**/*' }]);
  });

  it('the cache server source affects cache-server:build only', () => {
    const affected = affectedBy(() => appendFileSync(ws.path('tools/cache-server/src/auth.ts'), '\n// touched\n'));
    expect(tasks(affected)).toEqual(['cache-server:build']);
  });

  it('the root README affects nothing', () => {
    expect(tasks(affectedBy(() => appendFileSync(ws.path('README.md'), '\nMore words.\n')))).toEqual([]);
  });

  it('a docs page affects docs:build only', () => {
    const affected = affectedBy(() => appendFileSync(ws.path('packages/docs/user-guide/50-api.md'), '\nMore words.\n'));
    expect(tasks(affected)).toEqual(['docs:build']);
  });
});

describe('nx affected over every artefact target', () => {
  const ARTEFACT_TARGETS = ['build', 'pkg--host', 'build-base', 'build-full'];

  it('the version file affects every versioned artefact and nothing else', () => {
    const affected = affectedBy(
      () => writeFileSync(ws.path('packages/lava/lava/VERSION.json'), '{"__version_num__": "9.0.0", "__version_name__": "Test"}\n'),
      ARTEFACT_TARGETS,
    );
    // docker-<os>:build is the front door to both images of an OS.
    const dockerImages = dirs('packages/docker/os').flatMap((os) => [`docker-${os}:build`, `docker-${os}:build-base`, `docker-${os}:build-full`]);
    expect(tasks(affected)).toEqual(
      ['cfn:build', 'docs:build', 'jinlava:build', 'job-framework:build', 'worker-bundle:pkg--host', ...lambdaBuilds(), ...dockerImages].sort(),
    );
    // Builders are not versioned: no builder image rebuilds for a version bump.
    expect(tasks(affected).filter((t) => t.startsWith('builder-'))).toEqual([]);
  });

  it('a docs page affects no artefact but the docs', () => {
    const affected = affectedBy(() => appendFileSync(ws.path('packages/docs/user-guide/50-api.md'), '\nMore words.\n'), ARTEFACT_TARGETS);
    expect(tasks(affected)).toEqual(['docs:build']);
  });
});

describe('nx affected: the tooling a task really runs, and no other', () => {
  const ARTEFACT_TARGETS = ['build', 'pkg--host', 'build-base', 'build-full'];
  const lib = (path: string) => ws.path('tools/executors/src/lib', path);

  it('the guide splitter affects the guide only', () => {
    const affected = affectedBy(() => appendFileSync(lib('docs/md-split.ts'), '\n// touched\n'), ARTEFACT_TARGETS);
    expect(tasks(affected)).toEqual(['docs:build']);
    expect(affected['docs:build']).toEqual([expect.objectContaining({ kind: 'input-file', file: 'tools/executors/src/lib/docs/md-split.ts' })]);
  });

  it('the spell checker affects docs:spell and no artefact', () => {
    expect(tasks(affectedBy(() => appendFileSync(lib('docs/spell.ts'), '\n// touched\n'), ['spell', ...ARTEFACT_TARGETS]))).toEqual(['docs:spell']);
  });

  it('the archive writer affects every archive and the images that carry the bundle; no builder', () => {
    const affected = affectedBy(() => appendFileSync(lib('core/archive.ts'), '\n// touched\n'), ARTEFACT_TARGETS);
    // An image's context holds the worker bundle, written by the same archive code.
    const dockerImages = dirs('packages/docker/os').flatMap((os) => [`docker-${os}:build`, `docker-${os}:build-base`, `docker-${os}:build-full`]);
    expect(tasks(affected)).toEqual(['docs:build', 'jinlava:build', 'job-framework:build', 'worker-bundle:pkg--host', ...lambdaBuilds(), ...dockerImages].sort());
  });

  it('a spec file affects no artefact', () => {
    expect(tasks(affectedBy(() => appendFileSync(lib('core/archive.spec.ts'), '\n// touched\n'), ARTEFACT_TARGETS))).toEqual([]);
  });
});
