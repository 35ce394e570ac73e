import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { describe, expect, it } from 'vitest';
import { captureStderr, fakeContext } from '../../testing/executor-context';
import lambdaBundle from './lambda-bundle.impl';
import { tempDir } from '../../testing/temp-dir';
import { builderProject } from '../../lib/workspace/project-names';

function context(root: string, builders: string[]): ExecutorContext {
  const ctx = fakeContext(root, 'lambda-stop', 'packages/lambda/stop');
  for (const runtime of builders) ctx.projectsConfigurations.projects[builderProject(runtime)] = { root: `etc/builders/${runtime}` };
  return ctx;
}

describe('lambda-bundle executor', () => {
  it.each([
    ['an unknown builder, listing the builders', { name: 'stop', runtime: 'amzn2099-py3.99' }, 'unknown builder "amzn2099-py3.99"; known: amzn2023-py3.13, rocky9-py3.9; run: ls etc/builders'],
    ['an unknown platform', { name: 'stop', platform: 'mips' }, 'unknown platform "mips"'],
  ])('fails in one line on %s, writing nothing', async (_, options, line) => {
    const root = tempDir('lambda-bundle-spec-');
    const { result, stderr } = await captureStderr(() => lambdaBundle(options, context(root, ['amzn2023-py3.13', 'rocky9-py3.9'])));
    expect(result.success).toBe(false);
    expect(stderr).toContain(`✖ lambda-stop:build: ${line}`);
    expect(existsSync(join(root, 'dist'))).toBe(false);
  });
});
