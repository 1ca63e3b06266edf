/**
 * Builds watch-cache entries from stored key-values: decodes the JSON once, stamps the
 * resourceVersion, and precomputes what selectors need (labels, field values).
 */
import type { KeyValue } from '../../store/index.js';
import type { KubeObject } from '../registry/types.js';
import { decodeKeyValue } from '../storage/codec.js';
import type { CachedObject } from './types.js';

/** Field-selector values of an object (a type's `fieldLabels`, or the metadata defaults). */
export type FieldLabeler = (obj: KubeObject) => Record<string, string>;

export function cachedObjectFrom(kv: KeyValue, fieldLabels: FieldLabeler): CachedObject {
  const obj = decodeKeyValue(kv);
  return {
    key: kv.key,
    namespace: obj.metadata?.namespace ?? '',
    name: obj.metadata?.name ?? '',
    rv: kv.modRevision,
    json: flat(JSON.stringify(obj)),
    labels: obj.metadata?.labels ?? {},
    fields: fieldLabels(obj),
  };
}

/**
 * `s` as one flat string. `JSON.stringify` builds long results as a rope of parts, which takes
 * about a fifth more memory than the text for as long as the cache keeps it; reading a character
 * makes V8 flatten it in place.
 */
export function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}
