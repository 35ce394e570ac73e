import { rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureStderr, fakeContext } from '../../testing/executor-context';
import { smallGuideRoot, WORKSPACE } from '../../testing/small-guide';
import mkdocsServe from './mkdocs-serve.impl';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

const context = () => fakeContext(root, 'docs', 'packages/docs', 'preview');

// The preview itself: lib/docs/preview.spec.ts.
describe('mkdocs-serve', () => {
  it('fails in one line when there are no CloudFormation templates', async () => {
    root = smallGuideRoot('# Home\n');
    symlinkSync(join(WORKSPACE, '.venv'), join(root, '.venv'));
    rmSync(join(root, 'packages/cfn'), { recursive: true });
    const { result, stderr } = await captureStderr(() => mkdocsServe({ open: false }, context()));
    expect(result.success).toBe(false);
    expect(stderr).toBe('✖ docs:preview: no CloudFormation templates match packages/cfn/*.cfn.json\n');
  });
});
