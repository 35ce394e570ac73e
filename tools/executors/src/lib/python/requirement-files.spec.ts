import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp-dir';
import { requirementFileClosure } from './requirement-files';

describe('requirementFileClosure', () => {
  it('follows -r and -c references relative to the naming file, once each, leaving out URLs, absolute paths and what is outside', async () => {
    const root = tempDir('requirement-files-');
    await mkdir(join(root, 'packages/lava'), { recursive: true });
    await writeFile(
      join(root, 'packages/lava/requirements.txt'),
      '-r base.txt\n--constraint=../constraints.txt\n-r https://example.org/r.txt\n-c /etc/c.txt\n-r ../../../outside.txt\nsix\n',
    );
    await writeFile(join(root, 'packages/lava/base.txt'), '--requirement requirements.txt\nboto3\n');
    await writeFile(join(root, 'packages/constraints.txt'), 'urllib3<3\n');
    await writeFile(join(root, 'packages/lava/requirements-extra.txt'), 'jinja2\n');
    expect(requirementFileClosure(root, ['packages/lava/requirements.txt', 'packages/lava/requirements-extra.txt', 'packages/lava/missing.txt'])).toEqual([
      'packages/lava/requirements.txt',
      'packages/lava/base.txt',
      'packages/constraints.txt',
      'packages/lava/requirements-extra.txt',
    ]);
  });
});
