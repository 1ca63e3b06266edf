/**
 * Pruning of unknown fields (apiextensions-apiserver pkg/apiserver/schema/pruning, and the
 * ObjectMeta coercion of schema/objectmeta): every field the structural schema does not specify
 * is removed, in place, unless the node says `x-kubernetes-preserve-unknown-fields: true` (then
 * only the specified fields below it are pruned).
 *
 * - At the resource root, `apiVersion`, `kind` and `metadata` are always kept; under
 *   `x-kubernetes-embedded-resource` nodes too. `metadata` is pruned to the ObjectMeta fields
 *   (upstream round-trips it through `metav1.ObjectMeta`).
 * - A map value whose schema is absent loses all of its fields (`prune(v, nil)` upstream), as
 *   does anything under `additionalProperties: true`.
 *
 * Returns the pruned paths (`spec.foo`, `spec.items[0].bar`), in document order.
 */
import {
  additionalOf,
  isEmbedded,
  isObject,
  itemsOf,
  preservesUnknown,
  propertyOf,
  type JsonObject,
  type SchemaNode,
} from './node.js';

/** The fields of `metav1.ObjectMeta`. */
export const objectMetaFields: ReadonlySet<string> = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

const metaFields = new Set(['apiVersion', 'kind', 'metadata']);

/** Prunes a whole custom resource (`isResourceRoot`) in place; returns the pruned paths. */
export function pruneCustomResource(schema: SchemaNode | undefined, obj: JsonObject): string[] {
  const pruned: string[] = [];
  if (isObject(obj.metadata)) pruneObjectMeta(obj.metadata, 'metadata', pruned);
  if (!schema || preservesUnknown(schema)) {
    if (schema) skipPrune(obj, schema, '', pruned, true);
    return pruned;
  }
  for (const k of Object.keys(obj)) {
    if (metaFields.has(k)) continue;
    const prop = propertyOf(schema, k);
    if (prop) prune(obj[k], prop, k, pruned);
    else {
      pruned.push(k);
      delete obj[k];
    }
  }
  return pruned;
}

function pruneObjectMeta(meta: JsonObject, path: string, pruned: string[]): void {
  for (const k of Object.keys(meta)) {
    if (!objectMetaFields.has(k)) {
      pruned.push(`${path}.${k}`);
      delete meta[k];
    }
  }
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function prune(x: unknown, s: SchemaNode | undefined, path: string, pruned: string[]): void {
  if (s && preservesUnknown(s)) {
    skipPrune(x, s, path, pruned, false);
    return;
  }
  if (isObject(x)) {
    if (!s) {
      for (const k of Object.keys(x)) {
        pruned.push(join(path, k));
        delete x[k];
      }
      return;
    }
    const embedded = isEmbedded(s);
    const additional = additionalOf(s);
    for (const k of Object.keys(x)) {
      if (embedded && keepEmbeddedMeta(x, k, path, pruned)) continue;
      const prop = propertyOf(s, k);
      if (prop) prune(x[k], prop, join(path, k), pruned);
      else if (additional !== undefined) {
        prune(x[k], additional === true ? undefined : additional, join(path, k), pruned);
      } else {
        pruned.push(join(path, k));
        delete x[k];
      }
    }
    return;
  }
  if (Array.isArray(x)) {
    const items = s ? itemsOf(s) : undefined;
    x.forEach((v, i) => prune(v, items, `${path}[${i}]`, pruned));
  }
}

/** Keeps `apiVersion`/`kind` strings and an ObjectMeta `metadata` of an embedded resource. */
function keepEmbeddedMeta(x: JsonObject, k: string, path: string, pruned: string[]): boolean {
  if (k === 'apiVersion' || k === 'kind') return typeof x[k] === 'string';
  if (k === 'metadata' && isObject(x[k])) {
    pruneObjectMeta(x[k] as JsonObject, join(path, 'metadata'), pruned);
    return true;
  }
  return false;
}

function skipPrune(x: unknown, s: SchemaNode, path: string, pruned: string[], root: boolean): void {
  if (isObject(x)) {
    const additional = additionalOf(s);
    const embedded = isEmbedded(s);
    for (const k of Object.keys(x)) {
      if ((root || embedded) && metaFields.has(k)) {
        if (embedded && k === 'metadata' && isObject(x[k])) {
          pruneObjectMeta(x[k] as JsonObject, join(path, k), pruned);
        }
        continue;
      }
      const prop = propertyOf(s, k);
      if (prop) prune(x[k], prop, join(path, k), pruned);
      else if (additional !== undefined && additional !== true) {
        prune(x[k], additional, join(path, k), pruned);
      }
    }
    return;
  }
  if (Array.isArray(x)) {
    const items = itemsOf(s);
    if (items) x.forEach((v, i) => skipPrune(v, items, `${path}[${i}]`, pruned, false));
  }
}
