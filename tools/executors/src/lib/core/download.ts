// HTTP downloads that are idempotent and atomic, as make's etc/web-sync was
// meant to be: a file whose size and Last-Modified match the server's is not
// fetched again, and a download lands under its final name only once complete.
import { createWriteStream, statSync } from 'node:fs';
import { rm, stat, utimes } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BuildError } from './errors';
import { megabytes, withTicker } from './progress';
import { redact, redactUrl, secretsOfUrl } from './redact';

export interface RemoteFile {
  url: string;
  size: number;
  /** Last-Modified, whole seconds (HTTP dates have no finer resolution). */
  modified: Date;
}

function describeFailure(url: string, error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (error as Error).message;
  return `cannot reach ${redactUrl(url)} (${redact(why, secretsOfUrl(url))})`;
}

// fetch refuses URLs with credentials: they travel as a Basic Authorization header instead.
function withoutCredentials(url: string): { href: string; headers: Record<string, string> } {
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return { href: url, headers: {} };
  const user = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  return { href: parsed.toString(), headers: { authorization: `Basic ${Buffer.from(user).toString('base64')}` } };
}

async function request(url: string, method: 'HEAD' | 'GET', fix: string): Promise<Response> {
  let response: Response;
  try {
    const { href, headers } = withoutCredentials(url);
    response = await fetch(href, { method, headers, redirect: 'follow' });
  } catch (error) {
    throw new BuildError(describeFailure(url, error), { fix });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new BuildError(`${method} ${redactUrl(url)} answered HTTP ${response.status}`, { fix });
  }
  return response;
}

/** Size and Last-Modified of a remote file, from a HEAD request. */
export async function headRemote(url: string, fix: string): Promise<RemoteFile> {
  const response = await request(url, 'HEAD', fix);
  const size = Number(response.headers.get('content-length'));
  const modified = new Date(response.headers.get('last-modified') ?? '');
  if (!Number.isFinite(size) || Number.isNaN(modified.getTime())) {
    throw new BuildError(`${redactUrl(url)} has no Content-Length or Last-Modified, so a re-download cannot be avoided`, { fix });
  }
  return { url, size, modified };
}

/** True when `path` is a file of the remote's size whose mtime is its Last-Modified. */
export async function matchesRemote(path: string, remote: RemoteFile): Promise<boolean> {
  try {
    const local = await stat(path);
    return local.isFile() && local.size === remote.size && Math.floor(local.mtimeMs / 1000) === Math.floor(remote.modified.getTime() / 1000);
  } catch {
    return false;
  }
}

/**
 * GETs `remote.url` into `path` (a staging name the caller renames), checks the
 * length against the HEAD answer and stamps the file with Last-Modified.
 * On any failure the partial file is removed.
 */
export async function fetchTo(remote: RemoteFile, path: string, fix: string): Promise<void> {
  try {
    const response = await request(remote.url, 'GET', fix);
    if (!response.body) throw new BuildError(`GET ${redactUrl(remote.url)} returned no body`, { fix });
    try {
      const name = basename(new URL(remote.url).pathname);
      const sofar = () => `downloading ${name}: ${megabytes(statSync(path, { throwIfNoEntry: false })?.size ?? 0)} of ${megabytes(remote.size)}`;
      await withTicker(sofar, () => pipeline(Readable.fromWeb(response.body as never), createWriteStream(path)));
    } catch (error) {
      throw new BuildError(`download of ${redactUrl(remote.url)} broke off (${redact((error as Error).message, secretsOfUrl(remote.url))})`, { fix });
    }
    const { size } = await stat(path);
    if (size !== remote.size) {
      throw new BuildError(`download of ${redactUrl(remote.url)} is ${size} bytes, the server announced ${remote.size}`, { fix });
    }
    await utimes(path, remote.modified, remote.modified);
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
}
