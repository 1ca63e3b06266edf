/**
 * Navigation helpers over a {@link SchemaSet}: resolve a use of a type (a node with `$ref` plus
 * use-site extensions) into one effective node, and step into properties, map values and list
 * items the way upstream's schema consumers do.
 *
 * Effective nodes are memoized per use node and shared: callers must not mutate them.
 */
import type { SchemaSet } from './schemaset.js';
import type { Schema } from './types.js';

const effectiveCache = new WeakMap<SchemaSet, WeakMap<Schema, Schema>>();

/**
 * The effective schema of a use: the referenced definition with the use-site's description and
 * extensions laid over it. Returns undefined for a dangling reference; nodes without `$ref` are
 * returned unchanged.
 */
export function effective(set: SchemaSet, node: Schema | undefined): Schema | undefined {
  if (node === undefined || node.$ref === undefined) return node;
  let cache = effectiveCache.get(set);
  if (!cache) {
    cache = new WeakMap();
    effectiveCache.set(set, cache);
  }
  const hit = cache.get(node);
  if (hit && cacheGeneration.get(hit) === set.generation) return hit;
  const target = set.resolve(node);
  if (!target) return undefined;
  const { $ref: _ref, ...useSite } = node;
  const merged: Schema = { ...target, ...useSite };
  cache.set(node, merged);
  cacheGeneration.set(merged, set.generation);
  return merged;
}

const cacheGeneration = new WeakMap<Schema, number>();

/** True when the node declares an object with named properties (a struct). */
export function isStruct(node: Schema): boolean {
  return node.properties !== undefined && Object.keys(node.properties).length > 0;
}

/**
 * The schema of the value at `key` in an object node: a declared property, else the
 * `additionalProperties` schema. Returns undefined when the key is not allowed by the schema
 * (unknown field) or the node is free-form (no schema for the key).
 */
export function fieldSchema(set: SchemaSet, node: Schema, key: string): Schema | undefined {
  const prop = node.properties?.[key];
  if (prop !== undefined) return effective(set, prop);
  if (typeof node.additionalProperties === 'object') {
    return effective(set, node.additionalProperties);
  }
  return undefined;
}

/** The schema of list items, or undefined. */
export function itemSchema(set: SchemaSet, node: Schema): Schema | undefined {
  return effective(set, node.items);
}

/** True when unknown fields are kept under this node (free-form objects, preserve-unknown). */
export function allowsUnknownFields(node: Schema): boolean {
  if (node['x-kubernetes-preserve-unknown-fields'] === true) return true;
  if (node.additionalProperties === true) return true;
  if (typeof node.additionalProperties === 'object') return true;
  // An object type without properties or additionalProperties is free-form, as OpenAPI says.
  return node.properties === undefined && node.additionalProperties === undefined;
}
