/**
 * Schema definitions as the two OpenAPI versions publish them, and the closure of definitions a
 * set of roots references.
 *
 * - v2 (Swagger): `$ref` is `#/definitions/<name>`; OpenAPI-v3-only keywords (`nullable`,
 *   `oneOf`, `anyOf`, `not`, multi-element `allOf`) are dropped, as upstream does when it
 *   publishes CRD schemas to v2.
 * - v3: `$ref` is `#/components/schemas/<name>`; a reference with siblings (a description,
 *   use-site extensions) is wrapped as `allOf: [{$ref}]`, as upstream's v3 documents do.
 *
 * Inputs are never modified; outputs are fresh objects.
 */
import type { Schema, SchemaSet } from '../schema/index.js';

type Out = Record<string, unknown>;

/** Names of all definitions reachable from `roots`, roots included, sorted. */
export function definitionClosure(schemas: SchemaSet, roots: Iterable<string>): string[] {
  const seen = new Set<string>();
  const pending = [...roots];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (seen.has(name)) continue;
    const def = schemas.get(name);
    if (!def) continue;
    seen.add(name);
    forEachRef(def, (ref) => {
      if (!seen.has(ref)) pending.push(ref);
    });
  }
  return [...seen].sort();
}

/** Calls `fn` with every `$ref` inside `schema` (property names are not schemas). */
export function forEachRef(schema: Schema, fn: (ref: string) => void): void {
  if (schema.$ref !== undefined) fn(schema.$ref);
  if (schema.properties) for (const p of Object.values(schema.properties)) forEachRef(p, fn);
  if (schema.items) forEachRef(schema.items, fn);
  if (typeof schema.additionalProperties === 'object') forEachRef(schema.additionalProperties, fn);
  for (const list of [schema.allOf, schema.anyOf, schema.oneOf])
    list?.forEach((s) => forEachRef(s, fn));
  if (schema.not) forEachRef(schema.not, fn);
}

const v3Only = new Set(['nullable', 'oneOf', 'anyOf', 'not']);

/** The v2 form of a schema node. */
export function toV2(schema: Schema): Out {
  const out: Out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (v3Only.has(key)) continue;
    switch (key) {
      case '$ref':
        out.$ref = `#/definitions/${value as string}`;
        break;
      case 'allOf': {
        const all = value as Schema[];
        if (all.length === 1 && all[0].$ref !== undefined && schema.$ref === undefined) {
          out.$ref = `#/definitions/${all[0].$ref}`;
        }
        break;
      }
      default:
        out[key] = convertChild(key, value, toV2);
    }
  }
  return out;
}

/** The v3 form of a schema node. */
export function toV3(schema: Schema): Out {
  const out: Out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref') continue;
    out[key] = convertChild(key, value, toV3);
  }
  if (schema.$ref !== undefined) {
    const ref = { $ref: `#/components/schemas/${schema.$ref}` };
    if (Object.keys(out).length === 0) return ref;
    return { allOf: [ref], ...out };
  }
  return out;
}

function convertChild(key: string, value: unknown, convert: (s: Schema) => Out): unknown {
  switch (key) {
    case 'properties': {
      const props: Out = {};
      for (const [name, child] of Object.entries(value as Record<string, Schema>)) {
        props[name] = convert(child);
      }
      return props;
    }
    case 'items':
    case 'not':
      return convert(value as Schema);
    case 'additionalProperties':
      return typeof value === 'object' ? convert(value as Schema) : value;
    case 'allOf':
    case 'anyOf':
    case 'oneOf':
      return (value as Schema[]).map(convert);
    default:
      return value;
  }
}
