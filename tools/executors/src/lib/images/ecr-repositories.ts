// make's ecr-repo: the ECR repositories of one OS's images, each with the lifecycle
// policy beside the Dockerfile. The policy is read and checked before AWS is asked.
import { checkOs, DOCKER_ROOT, imageRepository } from './build';
import { ecrClient, ECR_DEFAULT_PREFIX, ensureRepository, readLifecyclePolicy, type EnsuredRepository } from './ecr';
import { imageTypes } from './image-type';

export interface EcrRepositoriesOptions {
  workspaceRoot: string;
  os: string;
  dockerRoot?: string;
  /** Default: every type. */
  types?: readonly string[];
  /** Default: dist, make's ecr-* prefix. */
  prefix?: string;
  region?: string;
  /** An ECR-compatible endpoint (a test double); default: AWS's. */
  endpoint?: string;
  /** Told each repository as soon as it is made or kept. */
  onEnsured?: (repository: EnsuredRepository) => void;
}

export async function ensureImageRepositories(o: EcrRepositoriesOptions): Promise<void> {
  const dockerRoot = o.dockerRoot ?? DOCKER_ROOT;
  checkOs(o.workspaceRoot, o.os, dockerRoot);
  const types = imageTypes(o.types);
  const policy = readLifecyclePolicy(o.workspaceRoot, dockerRoot);
  const client = ecrClient({ region: o.region, endpoint: o.endpoint });
  for (const type of types) {
    o.onEnsured?.(await ensureRepository(client, imageRepository(o.os, type, o.prefix ?? ECR_DEFAULT_PREFIX), policy, o.endpoint));
  }
}
