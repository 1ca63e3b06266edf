/**
 * Strategic merge patch (`application/strategic-merge-patch+json`) for built-in types, as
 * upstream's `k8s.io/apimachinery/pkg/util/strategicpatch` applies it on the server. The 3-way
 * diff that produces such patches is the client's job (kubectl); the server only applies them.
 *
 * ```ts
 * const merged = strategicMergePatch(schemas, schemas.forKind(gvk), live, patch);
 * ```
 *
 * Guarantees:
 * - Neither input is modified; the result shares no structure with them.
 * - Patch metadata (merge keys, strategies) comes from the schema's `x-kubernetes-patch-*`
 *   extensions; fields the schema does not describe merge as maps and replace as lists.
 * - Directive keys (`$patch`, `$retainKeys`, `$setElementOrder/…`, `$deleteFromPrimitiveList/…`)
 *   never survive into the result, as upstream's typed decoding drops them.
 * - Failures throw a `StatusError` with upstream's code and message (400 for malformed
 *   directives, 422 for lists of lists, 500 with reason Unknown for the rest).
 *
 * Custom resources do not support strategic merge patch: callers answer 415 for them (see
 * {@link strategicMergePatchSupported}).
 */
import { newBadRequest } from '../../../common/index.js';
import type { Schema, SchemaSet } from '../../schema/index.js';
import { StrategicMergePatchError, goTypeOf } from './errors.js';
import type { JsonMap } from './directives.js';
import {
  deleteFromPrimitiveListPrefix,
  directiveMarker,
  retainKeysDirective,
  setElementOrderPrefix,
} from './directives.js';
import { Merger } from './merge.js';

export { StrategicMergePatchError } from './errors.js';

/** The media type of a strategic merge patch. */
export const strategicMergePatchType = 'application/strategic-merge-patch+json';

/**
 * Applies `patch` to `original` using the patch metadata of `schema` (the effective schema of the
 * object's kind, e.g. `schemas.forKind(gvk)`). A `null` patch changes nothing.
 */
export function strategicMergePatch(
  set: SchemaSet,
  schema: Schema | undefined,
  original: JsonMap,
  patch: unknown,
): JsonMap {
  if (patch === null) return structuredClone(original);
  if (typeof patch !== 'object' || Array.isArray(patch)) {
    const what = Array.isArray(patch)
      ? 'array'
      : goTypeOf(patch).replace(/int64|float64/, 'number');
    throw newBadRequest(
      `json: cannot unmarshal ${what} into Go value of type map[string]interface {}`,
    );
  }
  try {
    const merged = new Merger(set).mergeMap(
      structuredClone(original),
      structuredClone(patch as JsonMap),
      schema,
    );
    stripDirectiveKeys(merged);
    return merged;
  } catch (err) {
    if (err instanceof StrategicMergePatchError) throw err.status();
    throw err;
  }
}

/**
 * Whether a resource accepts strategic merge patches: built-in types do, custom resources do not
 * (upstream answers 415 UnsupportedMediaType for them).
 */
export function strategicMergePatchSupported(type: { strategicMerge?: boolean }): boolean {
  return type.strategicMerge !== false;
}

function isDirectiveKey(key: string): boolean {
  return (
    key === directiveMarker ||
    key === retainKeysDirective ||
    key.startsWith(`${setElementOrderPrefix}/`) ||
    key.startsWith(`${deleteFromPrimitiveListPrefix}/`)
  );
}

function stripDirectiveKeys(value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach(stripDirectiveKeys);
  } else if (typeof value === 'object' && value !== null) {
    const map = value as JsonMap;
    for (const key of Object.keys(map)) {
      if (isDirectiveKey(key)) delete map[key];
      else stripDirectiveKeys(map[key]);
    }
  }
}
