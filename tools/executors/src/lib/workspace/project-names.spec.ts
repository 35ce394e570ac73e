import { describe, expect, it } from 'vitest';
import { builderOfProject, builderProject, imageProject, nxRun } from './project-names';

describe('project names', () => {
  it('names a builder and a docker OS as the plugins do, and reads a builder back from its project name', () => {
    expect(builderProject('rocky9-p3.9')).toBe('builder-rocky9-p3.9');
    expect(builderOfProject('builder-rocky9-p3.9')).toBe('rocky9-p3.9');
    expect(builderOfProject('docker-amzn2023')).toBeUndefined();
    expect(imageProject('amzn2023')).toBe('docker-amzn2023');
    expect(nxRun(imageProject('amzn2023'), 'build-base')).toBe('npx nx run docker-amzn2023:build-base');
  });
});
