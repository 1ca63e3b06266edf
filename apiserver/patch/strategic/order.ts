/**
 * List ordering after a strategic merge, as upstream's `normalizeElementOrder`: items named by the
 * patch (or by its `$setElementOrder` list) keep the patch's relative order, items only the server
 * had keep the live order, and the two sequences are interleaved using the live order as the
 * tie-breaker. Precedence: `$setElementOrder` > order in the patch > order in the live list.
 */
import { errNoMergeKey, errBadArgType } from './errors.js';

type Json = unknown;

/** Equality of scalar merge-key values and of scalar list items. */
export function sameValue(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return false;
}

/** The key an item is ordered by: its merge-key value for maps, itself for scalars. */
function keyOf(item: Json, mergeKey: string, isMap: boolean): Json {
  if (!isMap) return item;
  return typeof item === 'object' && item !== null
    ? (item as Record<string, Json>)[mergeKey]
    : undefined;
}

/** The position of `item` in `list` by key, or -1. */
export function indexOf(list: Json[], item: Json, mergeKey: string, isMap: boolean): number {
  const key = keyOf(item, mergeKey, isMap);
  return list.findIndex((v) => sameValue(keyOf(v, mergeKey, isMap), key));
}

/** Splits `items` into those whose key appears in `by` and those that do not. */
export function partitionByPresence(
  items: Json[],
  by: Json[],
  mergeKey: string,
  isMap: boolean,
): [Json[], Json[]] {
  const present: Json[] = [];
  const absent: Json[] = [];
  for (const item of items) {
    if (isMap) {
      const m = asMap(item);
      if (!(mergeKey in m)) throw errNoMergeKey(m, mergeKey);
    }
    (indexOf(by, item, mergeKey, isMap) >= 0 ? present : absent).push(item);
  }
  return [present, absent];
}

/** See the module comment. */
export function normalizeElementOrder(
  patchItems: Json[],
  serverOnly: Json[],
  patchOrder: Json[],
  serverOrder: Json[],
  mergeKey: string,
  isMap: boolean,
): Json[] {
  const patchSorted = normalizeSliceOrder(patchItems, patchOrder, mergeKey, isMap);
  const serverSorted = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, isMap);
  return mergeSortedSlice(serverSorted, patchSorted, serverOrder, mergeKey, isMap);
}

/**
 * Stable sort of `toSort` by position in `order`; `$patch: delete` items go last. Items missing
 * from `order` keep their relative position after the found ones.
 */
function normalizeSliceOrder(
  toSort: Json[],
  order: Json[],
  mergeKey: string,
  isMap: boolean,
): Json[] {
  let items = toSort;
  let toDelete: Json[] = [];
  if (isMap) {
    for (const list of [toSort, order]) {
      for (const item of list) {
        const m = asMap(item);
        if (!(mergeKey in m)) throw errNoMergeKey(m, mergeKey);
      }
    }
    items = toSort.filter((v) => asMap(v).$patch !== 'delete');
    toDelete = toSort.filter((v) => asMap(v).$patch === 'delete');
  }
  const ranked = items.map((item, i) => {
    const at = indexOf(order, item, mergeKey, isMap);
    return { item, rank: at >= 0 ? at : Number.MAX_SAFE_INTEGER, i };
  });
  ranked.sort((a, b) => a.rank - b.rank || a.i - b.i);
  return [...ranked.map((r) => r.item), ...toDelete];
}

/**
 * Inserts each item of `left` into `right`, keeping both relative orders; `left[i]` goes before
 * `right[j]` only when both appear in `serverOrder` and `left[i]` comes first there.
 */
function mergeSortedSlice(
  left: Json[],
  right: Json[],
  serverOrder: Json[],
  mergeKey: string,
  isMap: boolean,
): Json[] {
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexOf(serverOrder, left[i], mergeKey, isMap);
      const ri = indexOf(serverOrder, right[j], mergeKey, isMap);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function asMap(v: Json): Record<string, Json> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw errBadArgType('map', v);
  return v as Record<string, Json>;
}
