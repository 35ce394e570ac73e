import { describe, expect, it } from 'vitest';
import { cfdocArgs } from './cfdoc';

describe('cfdocArgs', () => {
  it('renders one template in a format, named when asked, without colour', () => {
    expect(cfdocArgs('dist/cfn/a.cfn.json', { format: 'html' })).toEqual(['--no-colour', '--format', 'html', 'dist/cfn/a.cfn.json']);
    expect(cfdocArgs('a.cfn.json', { format: 'md-mkdocs', name: 'a' })).toEqual(['--no-colour', '--format', 'md-mkdocs', '--name', 'a', 'a.cfn.json']);
  });
});
