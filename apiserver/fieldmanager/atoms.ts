/**
 * How server-side apply sees a schema node: structured-merge-diff's atoms, derived from the
 * shared schema model with kube-openapi's `schemaconv` rules.
 *
 * - scalars: strings, numbers, booleans, and IntOrString/Quantity/Time (untyped scalars);
 * - lists: `x-kubernetes-list-type` decides (`map` keyed by `x-kubernetes-list-map-keys`, `set`,
 *   `atomic`); without it a `merge` patch strategy makes the list associative (keyed by the patch
 *   merge key, or a set without one); otherwise lists are atomic;
 * - maps: structs (named properties) and string maps (`additionalProperties`), separable unless
 *   `x-kubernetes-map-type: atomic`; unknown keys of a struct are allowed only under
 *   `x-kubernetes-preserve-unknown-fields` (or an `additionalProperties` schema);
 * - untyped: free-form values (RawExtension is atomic; others are "deduced" from the value:
 *   objects granular, lists atomic).
 *
 * Atoms are memoized per use node; the set is consulted lazily so recursive types are fine.
 */
import type { Schema, SchemaSet } from '../schema/index.js';
import { effective, primitiveNames } from '../schema/index.js';

/** A reference to the type of a value: the use-site schema node, or a deduced/atomic marker. */
export type TypeRef = Schema | 'deduced' | 'untypedAtomic';

/** What a scalar accepts: upstream's `string`, `numeric`, `boolean` or `untyped` (any scalar). */
export type ScalarType = 'string' | 'numeric' | 'boolean' | 'untyped';

export type Atom =
  | { kind: 'scalar'; scalar: ScalarType }
  | {
      kind: 'list';
      associative: boolean;
      keys: string[];
      element: TypeRef;
    }
  | {
      kind: 'map';
      atomic: boolean;
      fields: Record<string, Schema>;
      /** The type of keys that are not named fields; undefined when they are not allowed. */
      element?: TypeRef;
    }
  | { kind: 'deduced' }
  | { kind: 'untypedAtomic' };

const scalarTypes = new Set(['string', 'integer', 'number', 'boolean']);
const cache = new WeakMap<SchemaSet, WeakMap<Schema, Atom>>();

/** The atom of a type reference. */
export function atomOf(set: SchemaSet, ref: TypeRef | undefined): Atom {
  if (ref === undefined || ref === 'deduced') return { kind: 'deduced' };
  if (ref === 'untypedAtomic') return { kind: 'untypedAtomic' };
  let perSet = cache.get(set);
  if (!perSet) {
    perSet = new WeakMap();
    cache.set(set, perSet);
  }
  let atom = perSet.get(ref);
  if (!atom) {
    atom = computeAtom(set, ref);
    perSet.set(ref, atom);
  }
  return atom;
}

function computeAtom(set: SchemaSet, use: Schema): Atom {
  if (use.$ref === primitiveNames.RawExtension) return { kind: 'untypedAtomic' };
  if (use.$ref === primitiveNames.Quantity) return { kind: 'scalar', scalar: 'untyped' };
  const node = effective(set, use);
  if (!node) return { kind: 'deduced' };
  if (node['x-kubernetes-int-or-string'] === true) return { kind: 'scalar', scalar: 'untyped' };
  if (node.type !== undefined && scalarTypes.has(node.type)) {
    return { kind: 'scalar', scalar: scalarOf(node) };
  }
  if (node.type === 'array') return listAtom(node);
  if (node.type === 'object' || node.properties !== undefined) return mapAtom(node);
  return { kind: 'deduced' };
}

function scalarOf(node: Schema): ScalarType {
  switch (node.type) {
    case 'integer':
    case 'number':
      return 'numeric';
    case 'boolean':
      return 'boolean';
    default:
      return node.format === undefined || node.format === '' || node.format === 'byte'
        ? 'string'
        : 'untyped';
  }
}

function listAtom(node: Schema): Atom {
  const element: TypeRef = node.items ?? 'untypedAtomic';
  const listType = node['x-kubernetes-list-type'];
  if (listType === 'map') {
    return {
      kind: 'list',
      associative: true,
      keys: node['x-kubernetes-list-map-keys'] ?? [],
      element,
    };
  }
  if (listType === 'set') return { kind: 'list', associative: true, keys: [], element };
  if (listType === 'atomic') return { kind: 'list', associative: false, keys: [], element };
  const strategy = node['x-kubernetes-patch-strategy'];
  if (strategy === 'merge' || strategy === 'merge,retainKeys') {
    const key = node['x-kubernetes-patch-merge-key'];
    return { kind: 'list', associative: true, keys: key ? [key] : [], element };
  }
  return { kind: 'list', associative: false, keys: [], element };
}

function mapAtom(node: Schema): Atom {
  const fields = node.properties ?? {};
  const hasFields = Object.keys(fields).length > 0;
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  let element: TypeRef | undefined;
  if (typeof node.additionalProperties === 'object') element = node.additionalProperties;
  else if (preserve || node.additionalProperties === true) element = 'deduced';
  else if (!hasFields && node.additionalProperties === undefined) element = 'deduced';
  return { kind: 'map', atomic: node['x-kubernetes-map-type'] === 'atomic', fields, element };
}

/** The default of a struct field (used for list keys an item omits), if the schema has one. */
export function fieldDefault(set: SchemaSet, ref: TypeRef, field: string): unknown {
  if (typeof ref !== 'object') return undefined;
  const node = effective(set, ref);
  const prop = node?.properties?.[field];
  return prop === undefined ? undefined : (prop.default ?? effective(set, prop)?.default);
}

/** The JSON kind of a value as the walkers distinguish it. */
export function valueKind(v: unknown): 'null' | 'list' | 'map' | 'scalar' {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'map';
  return 'scalar';
}
