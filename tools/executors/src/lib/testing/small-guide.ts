// Test support: a one-page guide with the real hook and cfdoc template plus one
// tiny built template, so a docs executor runs against real mkdocs in a second.
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const WORKSPACE = resolve(__dirname, '../../../../..');

export const TINY_TEMPLATE = {
  AWSTemplateFormatVersion: '2010-09-09',
  Description: 'tiny template',
  Parameters: { Version: { Type: 'String', Default: '9.9.9' }, BucketName: { Type: 'String', Description: 'the bucket' } },
  Resources: { Bucket: { Type: 'AWS::S3::Bucket' } },
};

/** A temp workspace root with version 9.9.9 (Test), dist/cfn/tiny.cfn.json and packages/docs. */
export function smallGuideRoot(indexPage: string): string {
  const root = mkdtempSync(join(tmpdir(), 'lava-small-guide-'));
  mkdirSync(join(root, 'packages/lava/lava'), { recursive: true });
  writeFileSync(join(root, 'packages/lava/lava/VERSION.json'), '{"__version_num__": "9.9.9", "__version_name__": "Test"}');
  mkdirSync(join(root, 'dist/cfn'), { recursive: true });
  writeFileSync(join(root, 'dist/cfn/tiny.cfn.json'), JSON.stringify(TINY_TEMPLATE));
  const docs = join(root, 'packages/docs');
  mkdirSync(join(docs, 'docs'), { recursive: true });
  cpSync(join(WORKSPACE, 'packages/docs/hooks.py'), join(docs, 'hooks.py'));
  cpSync(join(WORKSPACE, 'packages/docs/cfdoc'), join(docs, 'cfdoc'), { recursive: true });
  writeFileSync(
    join(docs, 'mkdocs.yml'),
    [
      'site_name: small',
      'use_directory_urls: false',
      'theme: {name: material, font: false}',
      'hooks: [hooks.py]',
      'nav: [index.md, {tiny: reference/cfn/tiny.md}]',
      'validation: {links: {not_found: warn}}',
    ].join('\n'),
  );
  writeFileSync(join(docs, 'docs/index.md'), indexPage);
  return root;
}
