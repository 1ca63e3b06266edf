/**
 * Defaulting from a structural schema (apiextensions-apiserver pkg/apiserver/schema/defaulting),
 * in place:
 *
 * - {@link pruneNonNullableNulls} (`PruneNonNullableNullsWithoutDefaults`): a `null` in a
 *   specified field that is neither `nullable` nor defaulted is removed (it would fail the type
 *   check otherwise).
 * - {@link applyDefaults} (`Default`): a specified field that is missing — or `null` while not
 *   nullable — gets a deep copy of its `default`; then defaulting goes on inside every value,
 *   including the defaults just set. `null` items of lists and values of maps whose schema is
 *   not nullable get the items'/values' default.
 *
 * Defaults are applied on create and update with the request version's schema, and when objects
 * are read from storage with the storage version's schema, as upstream.
 */
import {
  additionalOf,
  isNullable,
  isObject,
  itemsOf,
  propertiesOf,
  type SchemaNode,
} from './node.js';

/** `PruneNonNullableNullsWithoutDefaults`. */
export function pruneNonNullableNulls(x: unknown, s: SchemaNode | undefined): void {
  if (!s) return;
  if (isObject(x)) {
    const props = propertiesOf(s);
    for (const [k, v] of Object.entries(x)) {
      const prop = Object.prototype.hasOwnProperty.call(props, k) ? props[k] : undefined;
      if (prop && v === null && prop.default === undefined && !isNullable(prop)) delete x[k];
    }
    const additional = additionalOf(s);
    for (const [k, v] of Object.entries(x)) {
      const prop = Object.prototype.hasOwnProperty.call(props, k) ? props[k] : undefined;
      if (prop) pruneNonNullableNulls(v, prop);
      else if (additional !== undefined && additional !== true)
        pruneNonNullableNulls(v, additional);
    }
    return;
  }
  if (Array.isArray(x)) {
    const items = itemsOf(s);
    for (const v of x) pruneNonNullableNulls(v, items);
  }
}

const isNonNullableNull = (x: unknown, s: SchemaNode | undefined) =>
  x === null && s !== undefined && !isNullable(s);

/** `Default`. */
export function applyDefaults(x: unknown, s: SchemaNode | undefined): void {
  if (!s) return;
  if (isObject(x)) {
    const props = propertiesOf(s);
    for (const [k, prop] of Object.entries(props)) {
      if (prop.default === undefined) continue;
      if (!Object.prototype.hasOwnProperty.call(x, k) || isNonNullableNull(x[k], prop))
        x[k] = structuredClone(prop.default);
    }
    const additional = additionalOf(s);
    for (const [k, v] of Object.entries(x)) {
      if (Object.prototype.hasOwnProperty.call(props, k)) applyDefaults(v, props[k]);
      else if (additional !== undefined && additional !== true) {
        if (isNonNullableNull(v, additional) && additional.default !== undefined) {
          x[k] = structuredClone(additional.default);
        }
        applyDefaults(x[k], additional);
      }
    }
    return;
  }
  if (Array.isArray(x)) {
    const items = itemsOf(s);
    for (let i = 0; i < x.length; i++) {
      if (isNonNullableNull(x[i], items) && items?.default !== undefined) {
        x[i] = structuredClone(items.default);
      }
      applyDefaults(x[i], items);
    }
  }
}
