// The local registry, spoken to over its HTTP API at REGISTRY_URL (registry-address.ts says
// why that is 127.0.0.1 and not localhost).
import { BuildError } from '../core/errors';
import { ENGINE_SCRIPT } from './cli';
import { REGISTRY_HOST, REGISTRY_URL } from './registry-address';

/** The Accept header that gets any manifest: an index (OCI or docker's list) or a single image's. */
export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

async function get(path: string, accept?: string, method = 'GET'): Promise<Response> {
  try {
    return await fetch(`${REGISTRY_URL}${path}`, { method, headers: accept ? { Accept: accept } : {}, signal: AbortSignal.timeout(5000) });
  } catch (error) {
    throw new BuildError(`no registry answers at ${REGISTRY_URL}`, { fix: 'npx nx run registry:serve', cause: error });
  }
}

export async function registryAnswers(): Promise<boolean> {
  try {
    return (await get('/v2/')).ok;
  } catch {
    return false;
  }
}

export async function checkRegistry(): Promise<void> {
  if (!(await registryAnswers())) {
    throw new BuildError(`no registry answers at ${REGISTRY_URL}`, { fix: `npx nx run registry:serve (or ${ENGINE_SCRIPT} up)` });
  }
}

export interface ManifestInfo {
  digest: string;
  mediaType: string;
  /** `os/arch[/variant]` of each image in an index; empty for a single manifest. */
  platforms: string[];
}

/** The manifest of `repository:reference`, or undefined when the registry does not have it. */
export async function manifest(repository: string, reference: string): Promise<ManifestInfo | undefined> {
  const response = await get(`/v2/${repository}/manifests/${reference}`, MANIFEST_TYPES);
  if (response.status === 404) return undefined;
  if (!response.ok) throw new BuildError(`registry answered ${response.status} for ${repository}:${reference}`);
  const body = (await response.json()) as { mediaType?: string; manifests?: { platform?: { os: string; architecture: string; variant?: string } }[] };
  const platforms = (body.manifests ?? [])
    .map((m) => m.platform)
    .filter((p): p is { os: string; architecture: string; variant?: string } => !!p && p.os !== 'unknown')
    .map((p) => [p.os, p.architecture, p.variant].filter(Boolean).join('/'));
  return { digest: response.headers.get('docker-content-digest') ?? '', mediaType: body.mediaType ?? response.headers.get('content-type') ?? '', platforms };
}

export interface RepositoryTags {
  repository: string;
  tags: string[];
}

/** Every repository and its tags (the `jindr images` listing). */
export async function listImages(): Promise<RepositoryTags[]> {
  const repositories: string[] = [];
  // The catalog is paged (distribution refuses n > 1000); each page's Link header names the next.
  for (let page: string | undefined = '/v2/_catalog?n=100'; page; ) {
    const response = await get(page);
    if (!response.ok) throw new BuildError(`registry answered ${response.status} to ${page}`);
    repositories.push(...(((await response.json()) as { repositories?: string[] }).repositories ?? []));
    page = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
  }
  const result: RepositoryTags[] = [];
  for (const repository of repositories.sort()) {
    const response = await get(`/v2/${repository}/tags/list`);
    const tags = response.ok ? (((await response.json()) as { tags?: string[] | null }).tags ?? []) : [];
    result.push({ repository, tags: [...tags].sort() });
  }
  return result;
}

/** `REPOSITORY  TAG` lines, like `docker images` / `jindr images`. */
export function formatImages(images: readonly RepositoryTags[], host = REGISTRY_HOST): string {
  const rows = images.flatMap((i) => (i.tags.length ? i.tags : ['<none>']).map((t) => [`${host}/${i.repository}`, t]));
  const width = Math.max('REPOSITORY'.length, ...rows.map((r) => r[0].length));
  return [['REPOSITORY', 'TAG'], ...rows].map(([r, t]) => `${r.padEnd(width)}  ${t}`).join('\n');
}
