// make's check: per platform, per type, the tree's own common/img-check.sh against
// the image this graph built, one line per run, failing when any run failed.
import { join } from 'node:path';
import { BuildError } from '../core/errors';
import { withTempDir } from '../core/fs';
import { platformsOf } from '../core/platform';
import { checkEngine } from '../docker/cli';
import { checkOs, DOCKER_ROOT, type ImageRecord, type ImageType } from './build';
import { builtImage } from './built-image';
import { imageTypes } from './image-type';
import { IMG_CHECK_SCRIPT, imgCheckScript, opensslShim, runImgCheck } from './img-check';
import { imageProject, nxRun } from '../workspace/project-names';

export interface CheckImagesOptions {
  workspaceRoot: string;
  os: string;
  dockerRoot?: string;
  /** Default: every type. */
  types?: readonly string[];
  /** Any spelling; default both. */
  platforms?: readonly string[];
}

export async function checkImages(options: CheckImagesOptions): Promise<void> {
  const root = options.workspaceRoot;
  const dockerRoot = options.dockerRoot ?? DOCKER_ROOT;
  checkOs(root, options.os, dockerRoot);
  const types = imageTypes(options.types);
  const platforms = platformsOf(options.platforms);
  if (!imgCheckScript(root, dockerRoot)) {
    throw new BuildError(`${dockerRoot}/${IMG_CHECK_SCRIPT} is missing: it is what checks the images`, { fix: `git checkout -- ${dockerRoot}/${IMG_CHECK_SCRIPT}` });
  }
  await checkEngine();

  const runs = await withTempDir('lava-img-check', async (tmp) => {
    const shim = await opensslShim(join(tmp, 'bin'));
    const records = new Map<ImageType, ImageRecord>();
    for (const type of types) records.set(type, await builtImage(root, options.os, type));
    const done = [];
    for (const platform of platforms) {
      for (const type of types) done.push(await runImgCheck(root, dockerRoot, records.get(type)!, type, platform, shim));
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
}
