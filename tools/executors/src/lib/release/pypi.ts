// lava's make pypi: `twine upload -r <section of ~/.pypirc>` of the jinlava
// sdist, or to a repository given by URL and token in the environment
// (TWINE_REPOSITORY_URL + TWINE_PASSWORD, twine's own variables). It first asks
// the repository's simple index whether the version is there and refuses if so:
// an index never takes a file twice, and a half-done upload of a second build
// under the same version is worse than a clear stop. Credentials go to twine
// through its environment, never its command line, and are redacted from
// anything printed.
import { BuildError } from '../core/errors';
import { redact } from '../core/redact';

export const PYPI_UPLOAD_URL = 'https://upload.pypi.org/legacy/';

export interface Repository {
  /** The ~/.pypirc section, when named there. */
  name?: string;
  uploadUrl: string;
  username?: string;
  password?: string;
}

/** A section of a .pypirc (INI): its repository URL (PyPI's for `pypi` by default) and credentials. */
export function pypircRepository(text: string, name: string): Repository | undefined {
  let section: string | undefined;
  const values: Record<string, string> = {};
  let found = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1].trim();
      if (section === name) found = true;
      continue;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (kv && section === name) values[kv[1].toLowerCase()] = kv[2];
  }
  if (!found) return undefined;
  const uploadUrl = values.repository ?? (name === 'pypi' ? PYPI_UPLOAD_URL : name === 'testpypi' ? 'https://test.pypi.org/legacy/' : undefined);
  if (!uploadUrl) throw new BuildError(`~/.pypirc section [${name}] has no repository URL`, { fix: `add repository = <upload URL> to [${name}] in ~/.pypirc` });
  return { name, uploadUrl, username: values.username, password: values.password };
}

/** The PEP 503 simple index beside an upload URL (PyPI's and TestPyPI's live on another host). */
export function simpleIndexUrl(uploadUrl: string): string {
  const url = new URL(uploadUrl);
  url.username = '';
  url.password = '';
  if (url.hostname === 'upload.pypi.org') return 'https://pypi.org/simple/';
  if (url.hostname === 'test.pypi.org') return 'https://test.pypi.org/simple/';
  const path = url.pathname.replace(/\/+$/, '').replace(/\/legacy$/, '');
  url.pathname = `${path}/simple/`;
  return url.toString();
}

/** File names a simple index page lists. */
export function indexedFiles(html: string): string[] {
  return [...html.matchAll(/<a\b[^>]*>([^<]+)<\/a>/gi)].map((m) => m[1].trim());
}

/** Whether any file of `project` `version` (sdist or wheel) is among `files`. */
export function hasVersion(files: string[], project: string, version: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/[-_.]+/g, '_');
  const want = `${norm(project)}-${version.toLowerCase()}`;
  return files.some((file) => {
    // A distribution file is <name>-<version>(.tar.gz|.zip|-<tags>.whl); the name part holds no '-'.
    const lower = file.toLowerCase().replace(/^[^-]+/, (name) => norm(name));
    return lower === `${want}.tar.gz` || lower === `${want}.zip` || lower.startsWith(`${want}-`);
  });
}

/** The files the repository holds for `project` (none when it does not know it). */
export async function repositoryFiles(repo: Repository, project: string): Promise<string[]> {
  const url = `${simpleIndexUrl(repo.uploadUrl)}${project.toLowerCase()}/`;
  const headers: Record<string, string> = { Accept: 'text/html' };
  if (repo.password) headers.Authorization = `Basic ${Buffer.from(`${repo.username ?? '__token__'}:${repo.password}`).toString('base64')}`;
  const secrets = repo.password ? [repo.password] : [];
  let response: Response;
  try {
    response = await fetch(url, { headers, redirect: 'follow' });
  } catch (error) {
    throw new BuildError(`cannot reach ${redact(url, secrets)} to see whether ${project} is there`, { detail: redact(String(error), secrets) });
  }
  if (response.status === 404) return [];
  if (!response.ok) throw new BuildError(`${redact(url, secrets)} answered ${response.status} when asked for ${project}'s files`);
  return indexedFiles(await response.text());
}

/** twine's argv and environment for an upload (credentials in the environment only). */
export function twineUpload(repo: Repository, files: string[], pypirc?: string): { args: string[]; env: Record<string, string> } {
  const env: Record<string, string> = {};
  const args = ['upload', '--non-interactive', '--disable-progress-bar'];
  if (repo.name && pypirc) args.push('--config-file', pypirc, '--repository', repo.name);
  else args.push('--repository-url', repo.uploadUrl);
  if (repo.username) env.TWINE_USERNAME = repo.username;
  if (repo.password) env.TWINE_PASSWORD = repo.password;
  return { args: [...args, ...files], env };
}
