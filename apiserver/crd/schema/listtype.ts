/**
 * The `x-kubernetes-list-type` invariants (apiextensions-apiserver
 * pkg/apiserver/schema/listtype): items of a `set` are unique; items of a `map` are objects
 * (or null) whose `x-kubernetes-list-map-keys` values are unique, a missing key counting as its
 * schema default when it has one. Each duplicate is reported once, at its second occurrence,
 * as `Duplicate value` — with the item for sets and the key values for maps.
 */
import type { FieldError } from '../../../common/index.js';
import { duplicate, invalid } from '../../registry/index.js';
import {
  additionalOf,
  canonicalJSON,
  isObject,
  itemsOf,
  propertiesOf,
  propertyOf,
  type SchemaNode,
} from './node.js';

/** `ValidateListSetsAndMaps` over the whole value. */
export function validateListSetsAndMaps(
  schema: SchemaNode | undefined,
  value: unknown,
  path = '',
): FieldError[] {
  const errs: FieldError[] = [];
  walk(schema, value, path, errs);
  return errs;
}

function walk(s: SchemaNode | undefined, x: unknown, path: string, errs: FieldError[]): void {
  if (!s) return;
  if (isObject(x)) {
    const props = propertiesOf(s);
    const additional = additionalOf(s);
    for (const [k, v] of Object.entries(x)) {
      const child = path ? `${path}.${k}` : k;
      if (Object.prototype.hasOwnProperty.call(props, k)) walk(props[k], v, child, errs);
      else if (additional !== undefined && additional !== true) {
        walk(additional, v, path ? `${path}[${k}]` : k, errs);
      }
    }
    return;
  }
  if (!Array.isArray(x)) return;
  const listType = s['x-kubernetes-list-type'];
  if (listType === 'set') errs.push(...setErrors(x, path));
  else if (listType === 'map') errs.push(...mapErrors(s, x, path));
  const items = itemsOf(s);
  x.forEach((v, i) => walk(items, v, `${path}[${i}]`, errs));
}

function setErrors(items: unknown[], path: string): FieldError[] {
  const seen = new Map<string, number>();
  const errs: FieldError[] = [];
  items.forEach((x, i) => {
    const key = canonicalJSON(x);
    const times = seen.get(key) ?? 0;
    seen.set(key, times + 1);
    if (times === 1) errs.push(duplicate(`${path}[${i}]`, x));
  });
  return errs;
}

function mapErrors(s: SchemaNode, items: unknown[], path: string): FieldError[] {
  for (let i = 0; i < items.length; i++) {
    const x = items[i];
    if (x !== null && !isObject(x)) {
      return [invalid(`${path}[${i}]`, x, 'must be an object for an array of list-type map')];
    }
  }
  if (items.length <= 1) return [];
  const keys = Array.isArray(s['x-kubernetes-list-map-keys'])
    ? (s['x-kubernetes-list-map-keys'] as string[])
    : [];
  const itemSchema = itemsOf(s);
  const seen = new Map<string, number>();
  const errs: FieldError[] = [];
  items.forEach((x, i) => {
    if (!isObject(x)) return;
    const keyValues: Record<string, unknown> = {};
    for (const k of keys) {
      if (Object.prototype.hasOwnProperty.call(x, k)) keyValues[k] = x[k];
      else {
        const dflt = propertyOf(itemSchema, k)?.default;
        if (dflt !== undefined) keyValues[k] = dflt;
      }
    }
    const id = canonicalJSON(keys.map((k) => (k in keyValues ? keyValues[k] : { unspecified: k })));
    const times = seen.get(id) ?? 0;
    seen.set(id, times + 1);
    if (times === 1) errs.push(duplicate(`${path}[${i}]`, keyValues));
  });
  return errs;
}
