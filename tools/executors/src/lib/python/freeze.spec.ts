import { describe, expect, it } from 'vitest';
import { canonicalName, FREEZE_HEADER, inFiles, parseIn, parsePins, renderFrozen, resolutionFailure } from './freeze';

describe('freeze: etc/pip-freeze semantics', () => {
  const text = "# The bundle.\n\nboto3\nsmart_open[s3]\nrequests  \ngraphlib-backport>=1.0.3; python_version < '3.9'\n# requests==2.29.00\nPyYAML\n";

  it('keeps comments, blank lines and lines with a version operator; pins bare names (extras kept as written)', () => {
    const lines = parseIn(text, 'requirements.in');
    const pins = parsePins('boto3==1.39.16\nsmart-open==7.3.0.post1\nrequests==2.32.4\npyyaml==6.0.2 ; python_version >= "3.8"\n');
    expect(renderFrozen(lines, pins, 'requirements.in')).toBe(
      `${FREEZE_HEADER}\n\n# The bundle.\n\nboto3==1.39.16\nsmart_open[s3]==7.3.0.post1\nrequests==2.32.4\ngraphlib-backport>=1.0.3; python_version < '3.9'\n# requests==2.29.00\nPyYAML==6.0.2\n`,
    );
  });

  it('refuses a line that is neither a name nor a specifier, naming file and line', () => {
    expect(() => parseIn('ok\nnot a name\n', 'requirements.in')).toThrow('requirements.in:2: "not a name" is not a package name; run: correct requirements.in');
  });

  it('names a package the index does not have in one line', () => {
    const stderr =
      'error: No solution found when resolving dependencies\n  cause: Because no-such-pkg was not found in the package registry and you require no-such-pkg, we can conclude that your requirements are unsatisfiable.\n';
    expect(resolutionFailure(stderr, ['requirements.in']).message).toBe(
      'requirements.in: no package named no-such-pkg on the index; run: correct the name, or set PIP_INDEX_URL to an index that has it',
    );
  });

  it('normalises names and finds the .in files', () => {
    expect(canonicalName('Smart_Open.x')).toBe('smart-open-x');
    expect(inFiles(['requirements.txt', 'requirements-extra.in', 'requirements.in', 'other.in'])).toEqual(['requirements-extra.in', 'requirements.in']);
  });
});
