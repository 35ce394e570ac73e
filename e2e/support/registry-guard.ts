// Vitest global setup of the workspace suite: the docker tests must never leave an image under a
// real builder's name (build/lava/<name>) in the local registry, which outlives the
// run and which a user's next real build would pull from. It notes every such tag and digest
// before the suite and fails the run if one appeared or changed by the end.
import { BUILDER_REPOSITORY } from '../../tools/executors/src/lib/docker/cli';
import { listImages, manifest, registryAnswers } from '../../tools/executors/src/lib/docker/registry';
import { REGISTRY_ADDRESS } from '../../tools/executors/src/lib/docker/registry-address';

async function builderTags(): Promise<Map<string, string>> {
  const tags = new Map<string, string>();
  if (!(await registryAnswers())) return tags;
  for (const { repository, tags: names } of await listImages()) {
    if (!repository.startsWith(`${BUILDER_REPOSITORY}/`)) continue;
    for (const tag of names) tags.set(`${repository}:${tag}`, (await manifest(repository, tag))?.digest ?? '');
  }
  return tags;
}

export default async function setup(): Promise<() => Promise<void>> {
  const before = await builderTags();
  return async () => {
    const after = await builderTags();
    const left = [...after].filter(([name, digest]) => before.get(name) !== digest).map(([name]) => name);
    if (left.length) {
      // Vitest reports an error thrown here but still exits 0: set the exit status as well.
      process.exitCode = 1;
      throw new Error(`the tests left images under real builder names in the registry on ${REGISTRY_ADDRESS}: ${left.join(', ')}; fixture builders belong under their own namespace (e2e/support/docker.ts)`);
    }
  };
}
