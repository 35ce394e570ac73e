import { describe, expect, it } from 'vitest';
import { BuildError } from './errors';
import { lavaExecutor } from './executor';
import { captureStderr, fakeContext } from '../../testing/executor-context';

const context = fakeContext('/ws', 'cfn', 'packages/cfn');

describe('lavaExecutor', () => {
  it('succeeds when the body returns', async () => {
    expect(await lavaExecutor(async () => undefined)({}, context)).toEqual({ success: true });
  });

  it('turns a BuildError into one line naming the task, after the tool output, and a failed task', async () => {
    const failing = lavaExecutor(async () => {
      throw new BuildError('pip could not get PyYAML from https://***@mirror/simple', { fix: 'check PIP_INDEX_URL', detail: 'ERROR: 404\n' });
    });
    const { result, stderr } = await captureStderr(() => failing({}, context));
    expect(result).toEqual({ success: false });
    expect(stderr).toBe('ERROR: 404\n✖ cfn:build: pip could not get PyYAML from https://***@mirror/simple; run: check PIP_INDEX_URL\n');
  });

  it('lets a programming error through with its stack', async () => {
    const buggy = lavaExecutor(async () => {
      throw new TypeError('undefined is not a function');
    });
    await expect(buggy({}, context)).rejects.toThrow(TypeError);
  });
});
