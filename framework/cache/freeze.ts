/**
 * Deep freezing of cached objects: the cache hands the same object to every reader, so no reader
 * may change it (client-go's "you must not modify anything returned by Get or List"; kube-rs's
 * `Arc<K>`). Here the rule is enforced: writes to a frozen object throw in strict mode.
 */

/** Freezes `value` and everything reachable from it; returns it, typed read-only. */
export function deepFreeze<T>(value: T): Readonly<T> {
  freezeInto(value);
  return value;
}

function freezeInto(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (const item of value) freezeInto(item);
    return;
  }
  for (const key in value) freezeInto((value as Record<string, unknown>)[key]);
}

/** A deep, mutable copy of a (possibly frozen) JSON object. */
export function deepCopy<T>(value: Readonly<T>): T {
  return structuredClone(value) as T;
}
