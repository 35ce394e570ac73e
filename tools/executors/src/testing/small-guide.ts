// Test support: a two-chapter guide laid out like lava's doc/, with the
// stand-in's mkdocs folder and cfdoc template plus one tiny template source,
// so a docs executor runs against real mkdocs in a few seconds.
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const WORKSPACE = resolve(__dirname, '../../../..');

export const TINY_TEMPLATE = {
  AWSTemplateFormatVersion: '2010-09-09',
  Description: 'tiny template',
  Parameters: { Version: { Type: 'String', Default: 'WRONG TEMPLATE' }, BucketName: { Type: 'String', Description: 'the bucket' } },
  Resources: { Bucket: { Type: 'AWS::S3::Bucket' } },
};

/**
 * A temp workspace root with version 9.9.9 (Test), packages/cfn/tiny.cfn.json
 * and packages/docs holding `firstChapter` as user-guide/01-Home.md and a
 * 60-cfn chapter.
 */
export function smallGuideRoot(firstChapter: string): string {
  const root = mkdtempSync(join(tmpdir(), 'lava-small-guide-'));
  mkdirSync(join(root, 'packages/lava/lava'), { recursive: true });
  writeFileSync(join(root, 'packages/lava/lava/VERSION.json'), '{"__version_num__": "9.9.9", "__version_name__": "Test"}');
  mkdirSync(join(root, 'packages/cfn'), { recursive: true });
  writeFileSync(join(root, 'packages/cfn/tiny.cfn.json'), JSON.stringify(TINY_TEMPLATE));
  const docs = join(root, 'packages/docs');
  cpSync(join(WORKSPACE, 'packages/docs/cfdoc'), join(docs, 'cfdoc'), { recursive: true });
  cpSync(join(WORKSPACE, 'packages/docs/mkdocs'), join(docs, 'mkdocs'), { recursive: true, verbatimSymlinks: true });
  cpSync(join(WORKSPACE, 'packages/docs/img'), join(docs, 'img'), { recursive: true });
  writeFileSync(join(docs, 'mkdocs/docs/index.md'), '# Small\n\nVersion {{ version }}.\n');
  mkdirSync(join(docs, 'user-guide/60-cfn'), { recursive: true });
  writeFileSync(join(docs, 'user-guide/01-Home.md'), firstChapter);
  writeFileSync(join(docs, 'user-guide/60-cfn/00.md'), '# Templates { x-nav="CloudFormation" }\n');
  return root;
}
