import { describe, expect, it } from 'vitest';
import { normalizeOptions } from './verify';

describe('verify-reproducible options', () => {
  it('defaults to every archive: cfn, the host bundle, the sdist, the job framework, the docs, the Lambdas', () => {
    expect(normalizeOptions({})).toEqual({
      projects: ['cfn', 'worker-bundle', 'jinlava', 'job-framework', 'docs', 'lambda-*'],
      targets: ['build', 'pkg--host'],
      user: 'nobody',
      workDir: undefined,
      keep: false,
      reportDir: 'dist/reproducibility',
    });
  });

  it('takes projects and targets as lists or as the comma-separated strings a command line gives', () => {
    expect(normalizeOptions({ projects: 'cfn, jinlava', targets: ['build'] })).toMatchObject({ projects: ['cfn', 'jinlava'], targets: ['build'] });
    expect(normalizeOptions({ projects: ['cfn,job-framework', 'docs'] }).projects).toEqual(['cfn', 'job-framework', 'docs']);
  });
});
