/**
 * Typed decoding of built-in objects: a value whose JSON type is not the one the type's schema
 * declares is refused with 400, as upstream's decoder refuses it (`ConfigMap in version "v1"
 * cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field
 * ConfigMap.data.k of type string`), instead of reaching code that trusts the type. Only the JSON
 * type is checked (string, integer, number, boolean, array, object; null is always allowed, as Go
 * leaves the zero value); `resource.Quantity` also takes numbers and int-or-string takes both.
 * Free-form nodes (no `type`) take anything. Custom resources are left to their structural schema
 * validation (422), as upstream does.
 *
 * Nulls decode as Go decodes them into typed structs: a null field is absent, a null list item or
 * map value is the zero value of its type (`{}`, `""`, `0`, `false`), so `containers: [null]`
 * reaches validation as a container without a name (422) rather than crashing code that expects
 * an object.
 */
import { newBadRequest } from '../../common/index.js';
import type { Schema, SchemaSet } from '../schema/index.js';

type Json = 'string' | 'number' | 'bool' | 'array' | 'object';

function jsonType(v: unknown): Json | undefined {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  if (v !== null && typeof v === 'object') return 'object';
  return undefined;
}

const goType = (node: Schema): string => {
  switch (node.type) {
    case 'integer':
      return node.format === 'int64' ? 'int64' : 'int32';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'array':
      return '[]interface {}';
    case 'object':
      return 'map[string]interface {}';
    default:
      return 'string';
  }
};

/** Why `v` cannot decode into `node` (upstream wording after `json: `), or undefined. */
function mismatch(use: Schema, node: Schema, v: unknown): string | undefined {
  const actual = jsonType(v);
  if (actual === undefined || node.type === undefined) return undefined;
  const quantity = use.$ref?.endsWith('.Quantity') === true;
  const intOrString = node['x-kubernetes-int-or-string'] === true;
  const ok =
    (node.type === 'string' && (actual === 'string' || (quantity && actual === 'number'))) ||
    (intOrString && (actual === 'string' || (actual === 'number' && Number.isInteger(v)))) ||
    (node.type === 'integer' && actual === 'number' && Number.isInteger(v)) ||
    (node.type === 'number' && actual === 'number') ||
    (node.type === 'boolean' && actual === 'bool') ||
    (node.type === 'array' && actual === 'array') ||
    (node.type === 'object' && actual === 'object');
  if (ok) return undefined;
  const shown = actual === 'number' && node.type === 'integer' ? `number ${String(v)}` : actual;
  return `cannot unmarshal ${shown} into Go struct field %s of type ${goType(node)}`;
}

/** Go's zero value of a schema type, for a null list item or map value. */
function zeroValue(node: Schema | undefined): unknown {
  switch (node?.type) {
    case 'object':
      return {};
    case 'array':
      return [];
    case 'string':
      return node['x-kubernetes-int-or-string'] === true ? null : '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    default:
      return null;
  }
}

/**
 * Throws 400 when a field of `obj` has the wrong JSON type for `schema` (the kind's definition),
 * and replaces nulls as Go's typed decoding does (in place). Checks every field the schema
 * describes; unknown fields are another check's business.
 */
export function checkJsonTypes(
  set: SchemaSet,
  schema: Schema,
  obj: unknown,
  kind: { kind: string; version: string },
): void {
  const stack: Array<[Schema, unknown, string]> = [[schema, obj, '']];
  while (stack.length > 0) {
    const [use, value, path] = stack.pop()!;
    const node = set.resolve(use) ?? use;
    const why = mismatch(use, node, value);
    if (why) {
      const field = `${kind.kind}${path}`;
      throw newBadRequest(
        `${kind.kind} in version "${kind.version}" cannot be handled as a ${kind.kind}: json: ${why.replace('%s', field)}`,
      );
    }
    if (Array.isArray(value)) {
      const items = node.items;
      if (!items) continue;
      value.forEach((item, i) => {
        if (item === null) value[i] = zeroValue(set.resolve(items) ?? items);
        stack.push([items, value[i], `${path}[${i}]`]);
      });
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    const record = value as Record<string, unknown>;
    for (const [k, child] of Object.entries(record)) {
      const declared = node.properties?.[k];
      const mapValue =
        typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
      const prop = declared ?? mapValue;
      if (!prop) continue;
      if (child === null && declared) {
        delete record[k];
        continue;
      }
      if (child === null) record[k] = zeroValue(set.resolve(prop) ?? prop);
      stack.push([prop, record[k], `${path}.${k}`]);
    }
  }
}
