import { join } from 'node:path';
import { checkEngine } from '../../lib/docker/cli';
import { BuildError } from '../../lib/core/errors';
import { lavaExecutor } from '../../lib/core/executor';
import { withTempDir } from '../../lib/core/fs';
import { builtImage, checkOs, DOCKER_ROOT, IMAGE_TYPES, IMG_CHECK_SCRIPT, type ImageRecord, type ImageType } from '../../lib/images/build';
import { imgCheckScript, opensslShim, runImgCheck } from '../../lib/images/img-check';
import { platformOf } from '../../lib/core/platform';
import type { DockerCheckExecutorSchema } from './schema';
import { imageProject, nxRun } from '../../lib/workspace/project-names';

// make's check: per platform, per type, the tree's own common/img-check.sh against the image in the engine.
export default lavaExecutor<DockerCheckExecutorSchema>(async (options, context) => {
  const dockerRoot = options.dockerRoot ?? DOCKER_ROOT;
  checkOs(context.root, options.os, dockerRoot);
  const types = (options.types ?? IMAGE_TYPES) as ImageType[];
  const platforms = (options.platforms ?? ['linux/amd64', 'linux/arm64']).map(platformOf);
  if (!imgCheckScript(context.root, dockerRoot)) {
    throw new BuildError(`${dockerRoot}/${IMG_CHECK_SCRIPT} is missing: it is what checks the images`, { fix: `git checkout -- ${dockerRoot}/${IMG_CHECK_SCRIPT}` });
  }
  await checkEngine();

  const runs = await withTempDir('lava-img-check', async (tmp) => {
    const shim = await opensslShim(join(tmp, 'bin'));
    const records = new Map<ImageType, ImageRecord>();
    for (const type of types) records.set(type, await builtImage(context.root, options.os, type));
    const done = [];
    for (const platform of platforms) {
      for (const type of types) done.push(await runImgCheck(context.root, dockerRoot, records.get(type)!, type, platform, shim));
    }
    return done;
  });
  for (const r of runs) console.log(`${r.ok ? '✔' : '✖'} ${options.os} ${r.type} ${r.platform.docker}: ${r.summary}`);
  const short = runs.find((r) => r.defined !== undefined && r.ran !== undefined && r.ran < r.defined);
  if (short) {
    console.warn(
      `⚠ ${dockerRoot}/${IMG_CHECK_SCRIPT} ran ${short.ran} of its ${short.defined} ${short.type} checks: under bash >= 4.4 its \`read -ra checks <<< $(…)\` reads only the first check name (bash 3.2, macOS's, reads them all)`,
    );
  }
  const bad = runs.filter((r) => !r.ok).map((r) => `${r.type} on ${r.platform.docker}`);
  if (bad.length) {
    throw new BuildError(`image check failed for ${options.os}: ${bad.join(', ')}`, { fix: `fix ${dockerRoot}/os/${options.os}, then ${nxRun(imageProject(options.os), 'check')}` });
  }
  console.log(`All checks passed for ${options.os}: ${types.join(', ')} on ${platforms.map((p) => p.docker).join(', ')} (${dockerRoot}/${IMG_CHECK_SCRIPT}).`);
});
