/**
 * Ordering resourceVersions. They are opaque to clients in general; kuberx and etcd-backed servers
 * use decimal integers, which this compares. Anything else is incomparable (`undefined`).
 */
export function compareResourceVersions(
  a: string | undefined,
  b: string | undefined,
): number | undefined {
  if (!a || !b || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return undefined;
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
