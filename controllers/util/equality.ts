/**
 * Semantic equality of API objects (`apiequality.Semantic.DeepEqual`), as the Deployment
 * controller compares pod templates:
 *
 * - a missing field, `null`, `[]`, `{}` and `""` are all equal (Go's nil and empty slices and maps
 *   compare equal, and empty strings are omitted on the wire);
 * - quantities compare by value (`"1000m"` equals `"1"`) under the keys that hold quantities;
 * - times compare as instants (`"2026-01-01T00:00:00Z"` equals `"2026-01-01T00:00:00+00:00"`);
 * - everything else compares exactly; array order matters.
 */

import { Quantity, tryParseQuantity } from '../../common/index.js';

/** Both texts are quantities of the same value (`resource.Quantity.Cmp`). */
function quantitiesEqual(a: string, b: string): boolean {
  const x = tryParseQuantity(a);
  const y = tryParseQuantity(b);
  return x instanceof Quantity && y instanceof Quantity && x.cmp(y) === 0;
}

/** Keys whose values (a map of them, or the value itself) are `resource.Quantity`s. */
const quantityMaps = new Set([
  'limits',
  'requests',
  'overhead',
  'hard',
  'used',
  'capacity',
  'allocatable',
]);
const quantityFields = new Set(['sizeLimit', 'storage']);
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v as object).length === 0;
  return false;
}

function scalarEqual(a: unknown, b: unknown, quantity: boolean): boolean {
  if (a === b) return true;
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  if (quantity && quantitiesEqual(a, b)) return true;
  if (rfc3339.test(a) && rfc3339.test(b)) return Date.parse(a) === Date.parse(b);
  return false;
}

function equal(a: unknown, b: unknown, key: string, inQuantityMap: boolean): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => equal(v, b[i], key, false));
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const childQuantity = quantityMaps.has(key);
    for (const k of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
      if (!equal(ra[k], rb[k], k, childQuantity)) return false;
    }
    return true;
  }
  return scalarEqual(a, b, inQuantityMap || quantityFields.has(key));
}

/** `apiequality.Semantic.DeepEqual` on JSON values; see the module comment. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return equal(a, b, '', false);
}
