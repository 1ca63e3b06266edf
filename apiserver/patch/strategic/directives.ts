/**
 * The directive handling and list helpers of strategic merge patch (upstream
 * `strategicpatch/patch.go`): `$patch`, `$retainKeys`, `$setElementOrder/…` validation,
 * `$deleteFromPrimitiveList/…` keys, copying patch values into the result, and element checks.
 */
import type { Schema } from '../../schema/index.js';
import {
  errBadArgType,
  errBadPatchFormatForPrimitiveList,
  errBadPatchFormatForRetainKeys,
  errBadPatchFormatForSetElementOrderList,
  errBadPatchType,
  errListMixedTypes,
  errMergingListsInPatch,
  errNoListOfLists,
  errNoMergeKey,
  errSetElementOrderMismatch,
  errUnexpectedPatchStrategy,
} from './errors.js';
import { indexOf, sameValue } from './order.js';

export type JsonMap = Record<string, unknown>;

export const directiveMarker = '$patch';
export const retainKeysDirective = '$retainKeys';
export const setElementOrderPrefix = '$setElementOrder';
export const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList';

export function handleDirectiveInMergeMap(directive: unknown, patch: JsonMap): JsonMap {
  if (directive === 'replace') {
    delete patch[directiveMarker];
    return patch;
  }
  if (directive === 'delete') return {};
  throw errBadPatchType(directive, patch);
}

/**
 * `$retainKeys`: keys of the original missing from the list are cleared; every non-null field of
 * the patch must be in the list.
 */
export function applyRetainKeysDirective(original: JsonMap, patch: JsonMap): void {
  if (!(retainKeysDirective in patch)) return;
  const retain = patch[retainKeysDirective];
  delete patch[retainKeysDirective];
  if (!Array.isArray(retain)) throw errBadPatchFormatForRetainKeys();
  const keep = new Set(retain.map(String));
  for (const [k, v] of Object.entries(patch)) {
    if (
      v === null ||
      k.startsWith(deleteFromPrimitiveListPrefix) ||
      k.startsWith(setElementOrderPrefix)
    ) {
      continue;
    }
    if (!keep.has(k)) throw errBadPatchFormatForRetainKeys();
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

/** `$patch` items of a merging list: `delete` removes by key, `replace` discards the original. */
export function mergeSliceWithSpecialElements(
  original: unknown[],
  patch: unknown[],
  mergeKey: string,
): [unknown[], unknown[]] {
  const plain: unknown[] = [];
  let replace = false;
  let out = original;
  for (const v of patch) {
    const item = v as JsonMap;
    if (!(directiveMarker in item)) {
      plain.push(v);
      continue;
    }
    switch (item[directiveMarker]) {
      case 'delete':
        if (!(mergeKey in item)) throw errNoMergeKey(item, mergeKey);
        out = out.filter((o) => !(isMapValue(o) && sameValue(o[mergeKey], item[mergeKey])));
        break;
      case 'replace':
        replace = true;
        break;
      case 'merge':
        throw errMergingListsInPatch();
      default:
        throw errBadPatchType(item[directiveMarker], item);
    }
  }
  return replace ? [plain, []] : [out, plain];
}

/**
 * Checks that the patch list's items appear in the `$setElementOrder` list in the same relative
 * order (deletions ignored).
 */
export function validatePatchWithSetOrderList(
  patchList: unknown[],
  order: unknown[],
  mergeKey: string,
): void {
  if (order.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey
    ? patchList.filter((v) => !(isMapValue(v) && v[directiveMarker] === 'delete'))
    : patchList;
  let p = 0;
  let o = 0;
  while (p < nonDelete.length && o < order.length) {
    const item = nonDelete[p];
    if (isMapValue(item) && directiveMarker in item) {
      p++;
      continue;
    }
    if (keyEqual(item, order[o], mergeKey)) p++;
    o++;
  }
  if (p < nonDelete.length && o >= order.length) throw errSetElementOrderMismatch(patchList, order);
}

function keyEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (mergeKey === '') return sameValue(left, right);
  if (!isMapValue(left)) throw errBadArgType('map', left);
  if (!isMapValue(right)) throw errBadArgType('map', right);
  if (!(mergeKey in left)) throw errNoMergeKey(left, mergeKey);
  if (!(mergeKey in right)) throw errNoMergeKey(right, mergeKey);
  return sameValue(left[mergeKey], right[mergeKey]);
}

/** The list key after a directive prefix: `$setElementOrder/containers` → `containers`. */
export function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw prefix === deleteFromPrimitiveListPrefix
      ? errBadPatchFormatForPrimitiveList()
      : errBadPatchFormatForSetElementOrderList();
  }
  return key.slice(slash + 1);
}

/** Upstream's `extractRetainKeysPatchStrategy`: the strategy besides `retainKeys`. */
export function extractRetainKeysPatchStrategy(strategies: string[]): string {
  if (strategies.length === 0) return '';
  if (strategies.length === 1) return strategies[0] === 'retainKeys' ? '' : strategies[0];
  if (strategies.length === 2) {
    if (strategies[0] === 'retainKeys') return strategies[1];
    if (strategies[1] === 'retainKeys') return strategies[0];
  }
  throw errUnexpectedPatchStrategy(strategies);
}

/** Removes directive maps from a value copied from the patch; false means drop the value. */
export function removeDirectives(value: unknown): [unknown, boolean] {
  if (isMapValue(value)) {
    if (directiveMarker in value) return [undefined, false];
    for (const [k, v] of Object.entries(value)) {
      const [nv, keep] = removeDirectives(v);
      if (keep) value[k] = nv;
      else delete value[k];
    }
    return [value, true];
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) {
      const [nv, keep] = removeDirectives(v);
      if (keep) out.push(nv);
    }
    return [out, true];
  }
  return [value, true];
}

export function discardNullValues(value: unknown): void {
  if (isMapValue(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (v === null) delete value[k];
      else discardNullValues(v);
    }
  } else if (Array.isArray(value)) {
    value.forEach(discardNullValues);
  }
}

/** The element kind shared by the lists, `undefined` for mixed kinds; throws on nested lists. */
export function sliceElementKind(...lists: unknown[][]): 'map' | 'scalar' | undefined {
  let kind: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const k = kindOf(v);
      if (k === 'list') throw errNoListOfLists();
      if (kind === undefined) kind = k;
      else if (kind !== k) throw errListMixedTypes(lists);
    }
  }
  return kind === 'map' ? 'map' : 'scalar';
}

export function findByKey(list: unknown[], mergeKey: string, value: unknown): number {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isMapValue(item)) throw errBadArgType('map', item);
    if (mergeKey in item && sameValue(item[mergeKey], value)) return i;
  }
  return -1;
}

export function dedupe(values: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of values) if (indexOf(out, v, '', false) < 0) out.push(v);
  return out;
}

export function asSlice(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw errBadArgType('slice', v);
  return v;
}

export function nameOf(schema: Schema | undefined): string {
  return schema?.items?.$ref ?? schema?.type ?? 'unknown';
}

export function isMapValue(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The JSON kind, distinguishing the kinds strategic merge treats differently. */
export function kindOf(v: unknown): 'map' | 'list' | string {
  if (Array.isArray(v)) return 'list';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'map';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  return typeof v;
}
