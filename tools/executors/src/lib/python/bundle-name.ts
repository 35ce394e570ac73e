// The worker bundle's file name and place, as make's etc/pkg.sh named it: what the graph, the
// builders and the images need to know of a bundle without writing one.

export interface BundleId {
  version: string;
  /** `debian12-py3.11` */
  runtime: string;
  /** `<ID><major>` of the runtime, e.g. `debian12` */
  os: string;
  /** `uname -m` spelling: x86_64 | aarch64 */
  arch: string;
}

export function bundleFileName(id: BundleId): string {
  return `lava-${id.version}-${id.runtime}-${id.arch}.tar.bz2`;
}

/** `dist/pkg/<os>/lava-<version>-<runtime>-<arch>.tar.bz2`, relative to the workspace root. */
export function bundlePath(id: BundleId, outputDir = 'dist/pkg'): string {
  return `${outputDir}/${id.os}/${bundleFileName(id)}`;
}
