// The names the plugins give inferred projects, for everything that refers to one (edges, help,
// the `fix:` of an error): a builder Dockerfile `<name>.Dockerfile` is `builder-<name>`, a docker
// OS folder `os/<os>` is `docker-<os>`.

const BUILDER_PREFIX = 'builder-';

export function builderProject(builder: string): string {
  return `${BUILDER_PREFIX}${builder}`;
}

/** The builder a project name stands for, or undefined for a project that is no builder. */
export function builderOfProject(project: string): string | undefined {
  return project.startsWith(BUILDER_PREFIX) ? project.slice(BUILDER_PREFIX.length) : undefined;
}

export function imageProject(os: string): string {
  return `docker-${os}`;
}

/** The command that runs one target, as help and error fixes spell it. */
export function nxRun(project: string, target: string): string {
  return `npx nx run ${project}:${target}`;
}
