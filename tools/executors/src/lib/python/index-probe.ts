// Before pip runs in a builder container, ask from inside that container whether the package
// index answers, in at most ~5 s: a container on a bridge without a route out (or an index on
// the host's 127.0.0.1, which is the container itself) would otherwise spend minutes in pip's
// retries and then blame the index for "no matching version".
import { BuildError } from '../core/errors';
import { redactUrl } from '../core/redact';

/** Python run in the container: prints `OK` or `FAIL <reason>`; the URL comes in PIP_INDEX_URL. */
export const INDEX_PROBE = [
  'import os, sys, threading, urllib.parse, urllib.request, urllib.error',
  "url = os.environ.get('PIP_INDEX_URL') or 'https://pypi.org/simple'",
  'p = urllib.parse.urlsplit(url)',
  "bare = urllib.parse.urlunsplit((p.scheme, p.netloc.rsplit('@', 1)[-1], p.path.rstrip('/') + '/', '', ''))",
  "res = ['FAIL no answer within 3 s']",
  'def go():',
  '    try:',
  "        urllib.request.urlopen(bare, timeout=3); res[0] = 'OK'",
  '    except urllib.error.HTTPError as e:',
  "        res[0] = 'OK' if e.code < 500 else 'FAIL HTTP %d' % e.code",
  '    except Exception as e:',
  "        res[0] = 'FAIL ' + str(getattr(e, 'reason', e))",
  't = threading.Thread(target=go, daemon=True); t.start(); t.join(3.5)',
  "print(res[0]); sys.stdout.flush(); os._exit(0)",
].join('\n');

export const INDEX_FIX = 'set PIP_INDEX_URL to an index the builder containers reach (README, "Without network")';

/** The one-line problem for a probe's output, or undefined when the index answered. */
export function indexProbeProblem(stdout: string, indexUrl: string): string | undefined {
  // Only a FAIL is a verdict: a probe that could not say (an odd image) leaves it to pip.
  const line = stdout.trim().split('\n').at(-1) ?? '';
  if (!line.startsWith('FAIL ')) return undefined;
  const reason = line.slice(5);
  return `the builder container cannot reach the package index ${redactUrl(indexUrl)} (${reason})`;
}

/** Throws the probe's one line (with the fix) unless the index answered. */
export function checkIndexProbe(stdout: string, indexUrl: string, where?: string): void {
  const problem = indexProbeProblem(stdout, indexUrl);
  if (problem) throw new BuildError(where ? problem.replace('the builder container', where) : problem, { fix: INDEX_FIX });
}
