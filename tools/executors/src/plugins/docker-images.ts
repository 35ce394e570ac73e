// One project per lava image OS: `<dockerRoot>/os/<os>/from.txt` makes `docker-<os>`
// (make's docker/Makefile `os=`). `<dockerRoot>/os.legacy/*` makes nothing: legacy
// OSes are listed in errors and the README, never built. build-base and build-full
// are cached on everything they copy and record the pushed digests; full reads the
// base digest through dependentTasksOutputFiles, so a new base rebuilds full.
import { posix } from 'node:path';
import type { TargetConfiguration } from '@nx/devkit';
import { REGISTRY_READY } from '../lib/docker/builders';
import { DOCKER_ROOT, FROM_FILE, imageRecordFile, knownOses, localImage } from '../lib/images/build';
import { IMAGE_ORACLE_TYPES, ORACLE_DIR, oracleAssets } from '../lib/images/oracle';
import { imageProject, nxRun } from '../lib/workspace/project-names';
import { executor, inferProjects, inferred, PIP_INPUTS, targetMetadata, toolingInputs, folderOption } from './shared';

export interface DockerImagesPluginOptions {
  /** The folder holding Dockerfile, common/ (with img-check.sh), os/ and os.legacy/ (tests use a fixture folder). */
  dockerRoot?: string;
  /** Where oracle:sync puts the Instant Client zips that full images copy. */
  oracleDir?: string;
  /** The worker code installed in the base images. */
  workerDir?: string;
  /** The platforms built and checked (make's `platform=`); both by default. */
  platforms?: string[];
}

export const createNodesV2 = inferProjects<DockerImagesPluginOptions>({
  name: 'docker-images',
  glob: `**/${FROM_FILE}`,
  options: { dockerRoot: 'string', oracleDir: 'string', workerDir: 'string', platforms: 'string[]' },
  infer: (_files, options, context) => {
    const dockerRoot = folderOption(options.dockerRoot ?? DOCKER_ROOT);
    const legacy = knownOses(context.workspaceRoot, dockerRoot).legacy;
    return {
      select: (file) => posix.dirname(posix.dirname(file)) === `${dockerRoot}/os`,
      nodes: (file) => {
        const root = posix.dirname(file);
        const os = posix.basename(root);
        const metadata = {
          description: `lava images for ${os} (${dockerRoot}/os/${os})${legacy.length ? `; legacy OSes, listed and not built: ${legacy.join(', ')} (${dockerRoot}/os.legacy)` : ''}`,
          targetGroups: { images: ['build-base', 'build-full', 'build', 'check'], publish: ['push', 'ecr-repo', 'ecr-push'] },
        };
        const targets = imageTargets(os, dockerRoot, options);
        return inferred({ name: imageProject(os), root, projectType: 'application', tags: ['type:docker-image'], implicitDependencies: ['oracle'], targets, metadata });
      },
    };
  },
});

export const createNodes = createNodesV2;

/** The zips a full image copies, hashed by content: they are gitignored, so Nx's file inputs cannot see them. */
export function oracleZipsFingerprint(oracleDir: string): string {
  const names = oracleAssets(IMAGE_ORACLE_TYPES).map((a) => a.linkName).join(' ');
  return `cd ${oracleDir} 2>/dev/null && sha256sum ${names} 2>&1 || echo "no ${oracleDir}"`;
}

function imageTargets(os: string, dockerRoot: string, options: DockerImagesPluginOptions): Record<string, TargetConfiguration> {
  const oracleDir = options.oracleDir ?? ORACLE_DIR;
  const workerDir = options.workerDir ?? 'packages/lava';
  // build (nx:noop) repeats its two steps' inputs, whose executor is docker-image.
  const shared = [`{workspaceRoot}/${dockerRoot}/Dockerfile`, `{workspaceRoot}/${dockerRoot}/common/**/*`, 'version', ...toolingInputs('docker-image')];
  const base = { os, dockerRoot };
  const platforms = options.platforms ? { platforms: options.platforms } : {};
  const help = (target: string, description: string) => targetMetadata(['docker'], description, nxRun(imageProject(os), target));
  const baseInputs = [`{projectRoot}/${FROM_FILE}`, '{projectRoot}/base/**/*', `{workspaceRoot}/${workerDir}/**/*`, `!{workspaceRoot}/${workerDir}/**/*.md`];
  return {
    'build-base': {
      executor: executor('docker-image'),
      cache: true,
      dependsOn: [REGISTRY_READY],
      inputs: [...baseInputs, ...shared, ...PIP_INPUTS.imageBuild],
      outputs: [`{workspaceRoot}/${imageRecordFile(os, 'base')}`],
      options: { ...base, ...platforms, type: 'base', workerDir },
      metadata: help('build-base', `${localImage(os, 'base')}:<version> and :latest for linux/amd64 and linux/arm64, pushed; digest in ${imageRecordFile(os, 'base')}`),
    },
    'build-full': {
      executor: executor('docker-image'),
      cache: true,
      dependsOn: [REGISTRY_READY, 'build-base'],
      inputs: [
        '{projectRoot}/full/**/*',
        ...shared,
        { runtime: oracleZipsFingerprint(oracleDir) },
        { dependentTasksOutputFiles: imageRecordFile(os, 'base'), transitive: false },
      ],
      outputs: [`{workspaceRoot}/${imageRecordFile(os, 'full')}`],
      options: { ...base, ...platforms, type: 'full', oracleDir },
      metadata: help('build-full', `${localImage(os, 'full')}: base + database clients + the Oracle Instant Client from ${oracleDir} (npx nx run oracle:sync)`),
    },
    build: {
      executor: 'nx:noop',
      dependsOn: ['build-base', 'build-full'],
      // Nx 24 picks affected tasks by their own inputs: without these, `nx affected -t build`
      // would miss a worker-code or script change that build-base or build-full depends on.
      inputs: [...baseInputs, '{projectRoot}/full/**/*', ...shared],
      metadata: help('build', `make build os=${os}: the base then the full image, multi-platform, in localhost:5001/lava/${os}/`),
    },
    check: {
      executor: executor('docker-check'),
      cache: false,
      dependsOn: [REGISTRY_READY, 'build'],
      options: { ...base, ...platforms },
      metadata: help('check', 'make check: common/img-check.sh -p <platform> <image> per platform and type (arch, the lava CLI, python, the database clients, sqlplus in full)'),
    },
    push: {
      executor: executor('docker-push'),
      cache: false,
      dependsOn: [REGISTRY_READY, 'build'],
      options: { ...base, registry: 'ghcr.io', prefix: 'jin-gizmo' },
      metadata: help('push', 'make push: copies both images with both tags to <registry>/<prefix>/lava/<os>/<type> (--registry, --prefix)'),
    },
    'ecr-repo': {
      executor: executor('docker-ecr-repo'),
      cache: false,
      options: { ...base, prefix: 'dist' },
      metadata: help('ecr-repo', 'make ecr-repo: ECR repositories <prefix>/lava/<os>/{base,full} with the lifecycle policy (untagged expire after 1 day, keep 4)'),
    },
    'ecr-push': {
      executor: executor('docker-ecr-push'),
      cache: false,
      dependsOn: [REGISTRY_READY, 'build'],
      options: { ...base, prefix: 'dist' },
      metadata: help('ecr-push', 'make ecr-push (which was broken): logs in with an ECR authorization token and copies both images with both tags'),
    },
  };
}
