// make's push and ecr-push: the images of one OS, as built and recorded, copied from
// the local registry to another with both tags. Nothing is pushed, and no one is
// logged in to, until every image asked for is known to be built.
import { checkEngine } from '../docker/cli';
import { withRegistryLogin } from '../docker/login-config';
import { checkOs, DOCKER_ROOT, type ImageType } from './build';
import { builtImage, copyImage } from './built-image';
import { ecrClient, ECR_DEFAULT_PREFIX, ecrLogin } from './ecr';
import { imageTypes } from './image-type';
import { readImageMetadata } from './metadata';
import { imageProject, nxRun } from '../workspace/project-names';

export interface PushOptions {
  workspaceRoot: string;
  os: string;
  dockerRoot?: string;
  /** Default: every type. */
  types?: readonly string[];
  /** Default: <dockerRoot>/image-metadata.json's push.registry (make's ghcr.io). */
  registry?: string;
  /** Default: <dockerRoot>/image-metadata.json's push.prefix (make's jin-gizmo). */
  prefix?: string;
  /** Told each image's pushed tags as soon as they are pushed. */
  onPushed?: (tags: string[], type: ImageType) => void;
}

/** The images, checked to be built, before the engine is asked. */
async function builtTypes(o: { workspaceRoot: string; os: string; dockerRoot?: string; types?: readonly string[] }): Promise<ImageType[]> {
  checkOs(o.workspaceRoot, o.os, o.dockerRoot ?? DOCKER_ROOT);
  const types = imageTypes(o.types);
  for (const type of types) await builtImage(o.workspaceRoot, o.os, type);
  return types;
}

/** make's push: to a registry the user's docker is logged in to. */
export async function pushImages(o: PushOptions): Promise<void> {
  const defaults = readImageMetadata(o.workspaceRoot, o.dockerRoot ?? DOCKER_ROOT).push;
  const registry = o.registry ?? defaults.registry;
  const prefix = o.prefix ?? defaults.prefix;
  const types = await builtTypes(o);
  await checkEngine();
  for (const type of types) {
    o.onPushed?.(await copyImage(o.workspaceRoot, o.os, type, { registry, prefix, fix: `docker login ${registry}` }), type);
  }
}

export interface EcrPushOptions extends Omit<PushOptions, 'registry' | 'prefix'> {
  /** Default: dist, make's ecr-* prefix. */
  prefix?: string;
  /** Default: the registry the authorization token is for. */
  registry?: string;
  region?: string;
  /** An ECR-compatible endpoint (a test double); default: AWS's. */
  endpoint?: string;
}

/** make's ecr-push: logged in with an ECR authorization token, which no command line and no file of the user's sees. */
export async function pushImagesToEcr(o: EcrPushOptions): Promise<void> {
  const prefix = o.prefix ?? ECR_DEFAULT_PREFIX;
  const types = await builtTypes(o);
  await checkEngine();
  const login = await ecrLogin(ecrClient({ region: o.region, endpoint: o.endpoint }), o.endpoint);
  const registry = o.registry ?? login.host;
  const secrets = [login.password, login.auth];
  await withRegistryLogin(registry, login.auth, async (env) => {
    for (const type of types) {
      const pushed = await copyImage(o.workspaceRoot, o.os, type, {
        registry,
        prefix,
        env,
        secrets,
        fix: `check the ECR repositories exist (${nxRun(imageProject(o.os), 'ecr-repo')}) and the credentials may push to them`,
      });
      o.onPushed?.(pushed, type);
    }
  });
}
