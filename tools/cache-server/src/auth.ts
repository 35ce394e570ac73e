// Bearer tokens in two kinds. Nx's protocol has no scopes: the server decides,
// and tells a read-only client "no" by answering its PUT with 403, which Nx
// takes silently (the result stays local). Pull requests get read-only tokens
// so they cannot poison what main builds from.
import { createHash, timingSafeEqual } from 'node:crypto';

export type Role = 'read-write' | 'read-only';

export interface Tokens {
  readWrite: readonly string[];
  readOnly: readonly string[];
}

// Both sides are hashed first so the comparison takes the same time whatever
// the lengths: timingSafeEqual needs equal lengths, and an early return on a
// length mismatch would tell an attacker the token's length.
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function matchesAny(candidate: Buffer, tokens: readonly string[]): boolean {
  let found = false;
  for (const token of tokens) found = timingSafeEqual(candidate, digest(token)) || found;
  return found;
}

/**
 * The role an `Authorization` header grants, or null when it grants none.
 * With no tokens configured at all (an anonymous test server) everyone is
 * read-write.
 */
export function roleOf(authorization: string | undefined, tokens: Tokens): Role | null {
  if (tokens.readWrite.length === 0 && tokens.readOnly.length === 0) return 'read-write';
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return null;
  const candidate = digest(match[1]);
  // Every token is compared, whichever matches, so timing does not tell which kind matched.
  const readWrite = matchesAny(candidate, tokens.readWrite);
  const readOnly = matchesAny(candidate, tokens.readOnly);
  if (readWrite) return 'read-write';
  if (readOnly) return 'read-only';
  return null;
}
