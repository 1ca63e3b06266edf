/**
 * Keys inside the store are *byte strings*: one UTF-16 code unit per byte (0–255, "latin1"), so
 * JavaScript's string order is exactly etcd's byte order and any byte sequence round-trips. The
 * Storage interface speaks UTF-8 strings and converts at its edge; the gRPC server converts the
 * protobuf `bytes` fields.
 */

// eslint-disable-next-line no-control-regex -- bytes 0x00–0x7f are exactly the ASCII range
const ascii = /^[\x00-\x7f]*$/;

/** A UTF-8 text key → byte string (identity for ASCII). */
export function keyFromText(text: string): string {
  return ascii.test(text) ? text : Buffer.from(text, 'utf8').toString('latin1');
}

/** A byte string → UTF-8 text (identity for ASCII; invalid UTF-8 becomes U+FFFD). */
export function keyToText(key: string): string {
  return ascii.test(key) ? key : Buffer.from(key, 'latin1').toString('utf8');
}

/** Raw bytes → byte string. */
export function keyFromBytes(bytes: Uint8Array | undefined | null): string {
  if (!bytes || bytes.length === 0) return '';
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** Byte string → bytes. */
export function keyToBytes(key: string): Buffer {
  return Buffer.from(key, 'latin1');
}

/**
 * etcd `GetPrefixRangeEnd`: the smallest key greater than every key with `prefix` — the prefix
 * with its last byte below 0xff incremented (trailing 0xff bytes dropped). `"\0"` (meaning "no
 * upper bound") when there is no such key, e.g. for the empty prefix.
 */
export function prefixEnd(prefix: string): string {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const c = prefix.charCodeAt(i);
    if (c < 0xff) return prefix.slice(0, i) + String.fromCharCode(c + 1);
  }
  return '\0';
}

/**
 * Normalises a request's `range_end` as etcd does (`mkGteRange`): empty → `undefined` (a single
 * key), `"\0"` → `''` (every key ≥ `key`), anything else unchanged (`[key, rangeEnd)`).
 */
export function normalizeRangeEnd(rangeEnd: string | undefined): string | undefined {
  if (rangeEnd === undefined || rangeEnd.length === 0) return undefined;
  if (rangeEnd === '\0') return '';
  return rangeEnd;
}

/** Whether `key` is inside the normalised range starting at `start` (see {@link normalizeRangeEnd}). */
export function inRange(key: string, start: string, end: string | undefined): boolean {
  if (end === undefined) return key === start;
  return key >= start && (end === '' || key < end);
}
