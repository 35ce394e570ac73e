// Credentials ride in URLs (PIP_INDEX_URL, registry URLs) and Nx stores every
// task's terminal output in its local and remote caches, so anything printed
// or thrown passes through here first.

const URL_WITH_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi;

/** `https://user:secret@host/simple` → `https://***@host/simple`. */
export function redactUrl(url: string): string {
  return url.replace(URL_WITH_USERINFO, '$1***@');
}

/** Redacts URL credentials and every listed secret (and its URL-encoded form) in free text. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = redactUrl(text);
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      out = out.split(form).join('***');
    }
  }
  return out;
}

/** The secrets hidden in a URL: its password and its whole userinfo, decoded and raw. */
export function secretsOfUrl(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const parsed = new URL(url);
    const found = [parsed.password, decodeURIComponent(parsed.password)];
    if (parsed.username && parsed.password) found.push(`${parsed.username}:${parsed.password}`);
    return [...new Set(found.filter((s) => s.length > 0))];
  } catch {
    return [];
  }
}
