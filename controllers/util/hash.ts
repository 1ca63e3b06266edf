/**
 * `controller.ComputeHash`: the pod-template-hash of a template and a collision count. Upstream
 * hashes a spew dump of the Go struct with FNV-32a; kuberx hashes the template's canonical JSON
 * (keys sorted) with FNV-32a, so values differ from upstream's but are stable, deterministic and
 * change with the template. As upstream, `collisionCount` (when set) is appended as 8 bytes (a
 * little-endian uint32 and four zero bytes), and the decimal form of the 32-bit sum is mapped onto
 * the alphabet `bcdfghjklmnpqrstvwxz2456789` (`rand.SafeEncodeString`), giving names like
 * `web-7d8f9c6b54`.
 */

const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with object keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** FNV-32a of bytes, continuing from `seed`. */
export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** `rand.SafeEncodeString`: each character mapped onto the 27-letter alphabet. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += alphanums[s.charCodeAt(i) % alphanums.length];
  return out;
}

/** The pod-template-hash of `template` with `collisionCount`; see the module comment. */
export function computeHash(template: unknown, collisionCount?: number | null): string {
  let h = fnv32a(new TextEncoder().encode(canonicalJson(template)));
  if (collisionCount !== undefined && collisionCount !== null) {
    const extra = new Uint8Array(8);
    new DataView(extra.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(extra, h);
  }
  return safeEncodeString(String(h));
}
