/**
 * Read-only access to a CustomResourceDefinition's `openAPIV3Schema` as a structural schema
 * (apiextensions-apiserver pkg/apiserver/schema): the CRD object's own validation has already
 * made it structural, so every node says its `type` (or is `x-kubernetes-int-or-string` /
 * `x-kubernetes-preserve-unknown-fields`), and value validations under `allOf`/`anyOf`/`oneOf`/
 * `not` never introduce new fields. Nodes are plain JSON and are never mutated here.
 */

/** One schema node of a CRD version (`JSONSchemaProps` as JSON). */
export type SchemaNode = Record<string, unknown>;

/** A JSON object value. */
export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `properties`, or an empty record. */
export function propertiesOf(s: SchemaNode | undefined): Record<string, SchemaNode> {
  const p = s?.properties;
  return isObject(p) ? (p as Record<string, SchemaNode>) : {};
}

/** The declared property `key`, if any. */
export function propertyOf(s: SchemaNode | undefined, key: string): SchemaNode | undefined {
  const p = s?.properties;
  if (!isObject(p) || !Object.prototype.hasOwnProperty.call(p, key)) return undefined;
  const v = p[key];
  return isObject(v) ? v : undefined;
}

/** `items` when it is a single schema. */
export function itemsOf(s: SchemaNode | undefined): SchemaNode | undefined {
  return isObject(s?.items) ? (s.items as SchemaNode) : undefined;
}

/**
 * `additionalProperties`: a schema, `true` (any value) or undefined (absent or `false`), as the
 * structural schema's `AdditionalProperties` (`StructuralOrBool`) is read by pruning.
 */
export function additionalOf(s: SchemaNode | undefined): SchemaNode | true | undefined {
  const a = s?.additionalProperties;
  if (isObject(a)) return a;
  return a === true ? true : undefined;
}

export const preservesUnknown = (s: SchemaNode | undefined): boolean =>
  s?.['x-kubernetes-preserve-unknown-fields'] === true;

export const isEmbedded = (s: SchemaNode | undefined): boolean =>
  s?.['x-kubernetes-embedded-resource'] === true;

export const isIntOrString = (s: SchemaNode | undefined): boolean =>
  s?.['x-kubernetes-int-or-string'] === true;

export const isNullable = (s: SchemaNode | undefined): boolean => s?.nullable === true;

/** The JSON type name of a value, as go-openapi infers it (`integer` for integral numbers). */
export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(v) ? 'integer' : 'number';
    case 'object':
      return 'object';
    default:
      return typeof v;
  }
}

/** Equality of JSON values (object key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) =>
      Object.prototype.hasOwnProperty.call(b, k) &&
      jsonEqual((a as JsonObject)[k], (b as JsonObject)[k]),
  );
}

/** A JSON value with object keys sorted, as `json.Marshal` of a Go map writes it. */
export function canonicalJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJSON).join(',')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJSON(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
