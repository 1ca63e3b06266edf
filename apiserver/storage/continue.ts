/**
 * `continue` tokens, as upstream's `storage.EncodeContinue`/`DecodeContinue`: base64url (no
 * padding) of `{"v":"meta.k8s.io/v1","rv":<revision>,"start":"<next key relative to the list
 * prefix>"}`. Every page of a list is served at the token's revision; `rv: -1` (handed out with a
 * 410) means "continue from the latest revision", accepting an inconsistent list.
 *
 * Tokens are not encrypted or signed (nor are upstream's): a client may forge one, but it can
 * only name a key under the prefix it is listing, never escape it (`..` and absolute keys are
 * refused).
 */
import { newBadRequest } from '../../common/index.js';

const tokenVersion = 'meta.k8s.io/v1';

export interface ContinueToken {
  /** Revision all pages are read at; -1 = latest. */
  rv: number;
  /** The full storage key to resume at (inclusive). */
  startKey: string;
}

/** Encodes the token for the page that starts at `nextKey` (a full key under `prefix`). */
export function encodeContinue(nextKey: string, prefix: string, rv: number): string {
  const start = nextKey.startsWith(prefix) ? nextKey.slice(prefix.length) : nextKey;
  return Buffer.from(JSON.stringify({ v: tokenVersion, rv, start })).toString('base64url');
}

/** Decodes a token for a list of `prefix`; a malformed one is a 400 as upstream words it. */
export function decodeContinue(token: string, prefix: string): ContinueToken {
  const invalid = (why: string) =>
    newBadRequest(`invalid continue token: continue key is not valid: ${why}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (err) {
    throw invalid(err instanceof Error ? err.message : String(err));
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid('not an object');
  const { v, rv, start } = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (v !== tokenVersion) throw invalid('server does not recognize this encoded version');
  if (typeof rv !== 'number' || !Number.isInteger(rv) || rv === 0 || rv < -1) {
    throw invalid(`incorrect encoded start resourceVersion (version ${tokenVersion})`);
  }
  if (typeof start !== 'string' || start.length === 0) throw invalid('encoded start key empty');
  const cleaned = start.replace(/^\/+/, '');
  if (cleaned.split('/').some((segment) => segment === '..' || segment === '.')) {
    throw invalid(`path traversal attempt detected: ${start}`);
  }
  return { rv, startKey: prefix + cleaned };
}

/** The key that sorts right after `key` (where the next page begins). */
export function keyAfter(key: string): string {
  return `${key}\u0000`;
}
