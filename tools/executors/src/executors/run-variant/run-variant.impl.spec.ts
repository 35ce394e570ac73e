import { describe, expect, it } from 'vitest';
import { forwardedArgs } from './run-variant.impl';

describe('run-variant', () => {
  it('passes every option but the target on to the variant', () => {
    expect(forwardedArgs({ target: 'pkg--host', runtime: 'debian12-py3.11', python: 'python3', installer: undefined })).toEqual([
      '--runtime=debian12-py3.11',
      '--python=python3',
    ]);
  });

  it('repeats array options', () => {
    expect(forwardedArgs({ target: 'pkg--host', requirements: ['a.txt', 'b.txt'] })).toEqual(['--requirements=a.txt', '--requirements=b.txt']);
  });

  it('passes nothing when only the target is set', () => {
    expect(forwardedArgs({ target: 'pkg--amzn2023-py3.13-arm64' })).toEqual([]);
  });
});
