// What a failed tool's output means, when it is something a user must fix outside the build:
// one line naming it (and the fix) instead of the tool's command line.

export interface Explanation {
  problem: string;
  fix: string;
}

const PULL = /failed to resolve source metadata for (\S+):\s.*?(no such host|i\/o timeout|connection refused|TLS handshake timeout|unauthorized|not found|network is unreachable)/i;
const REGISTRY_HOST = /(?:Head|GET|Get) "https?:\/\/([^/"]+)\//;

export const PULL_FIX = 'dockerd --registry-mirror=<a mirror of docker.io you can reach> (README, "Without network")';

/** buildx could not pull a base image: which image, from which registry, why. */
export function explainPull(output: string): Explanation | undefined {
  const line = output.split('\n').find((l) => PULL.test(l));
  if (!line) return undefined;
  const [, image, why] = PULL.exec(line)!;
  const host = REGISTRY_HOST.exec(line)?.[1];
  return { problem: `cannot pull the base image ${image}${host ? ` from ${host}` : ''} (${why})`, fix: PULL_FIX };
}

/** A known outside-the-build cause in a failed command's output, or undefined. */
export function explainFailure(file: string, args: readonly string[], output: string): Explanation | undefined {
  if (file === 'docker' && args[0] === 'buildx') return explainPull(output);
  return undefined;
}

/** A command line short enough for a one-line error (the full one is in the output above it). */
export function shortCommand(command: string, max = 120): string {
  return command.length <= max ? command : `${command.slice(0, max - 1).trimEnd()} …`;
}
