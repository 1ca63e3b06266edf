/**
 * The merge half of upstream's strategic merge patch (`strategicpatch.StrategicMergeMapPatch`
 * with the server's options: parallel deletion lists merged, unmatched nulls ignored).
 *
 * Per field, the patch metadata comes from the schema: `x-kubernetes-patch-strategy` (`merge`,
 * `replace`, `retainKeys`, `merge,retainKeys`) and `x-kubernetes-patch-merge-key`. Without
 * metadata, maps merge recursively and lists are replaced. Directives: `$patch: replace|delete`
 * (maps and list items; `merge` in a list is an error), `$retainKeys`,
 * `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`; a `null` deletes a key.
 *
 * Both inputs are mutated: callers pass copies (see `index.ts`).
 */
import type { Schema, SchemaSet } from '../../schema/index.js';
import { fieldSchema, itemSchema } from '../../schema/index.js';
import {
  errBadArgType,
  errBadPatchFormatForPrimitiveList,
  errBadPatchFormatForRetainKeys,
  errBadPatchFormatForSetElementOrderList,
  errBadPatchType,
  errListMixedTypes,
  errMergingListsInPatch,
  errNoElements,
  errNoListOfLists,
  errNoMergeKey,
  errNoMergeKeyForList,
  errSetElementOrderMismatch,
  errUnexpectedPatchStrategy,
} from './errors.js';
import { indexOf, normalizeElementOrder, partitionByPresence, sameValue } from './order.js';

export type JsonMap = Record<string, unknown>;

export const directiveMarker = '$patch';
export const retainKeysDirective = '$retainKeys';
export const setElementOrderPrefix = '$setElementOrder';
export const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList';

/** What the schema says about one field. */
interface PatchMeta {
  schema?: Schema;
  strategy: string;
  mergeKey: string;
}

export class Merger {
  constructor(private readonly set: SchemaSet) {}

  mergeMap(original: JsonMap | undefined, patch: JsonMap, schema: Schema | undefined): JsonMap {
    if (directiveMarker in patch) return handleDirectiveInMergeMap(patch[directiveMarker], patch);
    const out = original ?? {};
    applyRetainKeysDirective(out, patch);
    this.mergeSetElementOrder(out, patch, schema);

    for (const rawKey of Object.keys(patch)) {
      let key = rawKey;
      const patchV = patch[rawKey];
      let isDeleteList = false;
      if (rawKey.startsWith(deleteFromPrimitiveListPrefix)) {
        key = extractKey(rawKey, deleteFromPrimitiveListPrefix);
        isDeleteList = true;
      }
      if (patchV === null) {
        delete out[key];
        continue;
      }
      const current = out[key];
      if (current === undefined || kindOf(current) !== kindOf(patchV)) {
        if (!isDeleteList) {
          discardNullValues(patchV);
          const [value, keep] = removeDirectives(patchV);
          if (keep) out[key] = value;
          else delete out[key];
        }
        continue;
      }
      const meta = this.patchMeta(schema, key);
      if (kindOf(current) === 'map') {
        out[key] =
          meta.strategy === 'replace'
            ? patchV
            : this.mergeMap(current as JsonMap, patchV as JsonMap, meta.schema);
      } else if (kindOf(current) === 'list') {
        out[key] = this.mergeSliceHandler(
          current as unknown[],
          patchV as unknown[],
          meta,
          isDeleteList,
        );
      } else {
        out[key] = patchV;
      }
    }
    return out;
  }

  private patchMeta(schema: Schema | undefined, key: string): PatchMeta {
    const sub = schema ? fieldSchema(this.set, schema, key) : undefined;
    const strategies = sub?.['x-kubernetes-patch-strategy']?.split(',') ?? [];
    return {
      schema: sub,
      strategy: extractRetainKeysPatchStrategy(strategies),
      mergeKey: sub?.['x-kubernetes-patch-merge-key'] ?? '',
    };
  }

  private mergeSliceHandler(
    original: unknown[],
    patch: unknown[],
    meta: PatchMeta,
    isDeleteList: boolean,
  ): unknown[] {
    if (meta.strategy === 'merge' || isDeleteList) {
      return this.mergeSlice(original, patch, meta, isDeleteList);
    }
    return patch;
  }

  private mergeSlice(
    original: unknown[],
    patch: unknown[],
    meta: PatchMeta,
    isDeleteList: boolean,
  ): unknown[] {
    if (original.length === 0 && patch.length === 0) return original;
    const isMap = sliceElementKind(original, patch) === 'map';
    const items = meta.schema ? itemSchema(this.set, meta.schema) : undefined;
    let merged: unknown[];
    let base = original;
    let patchItems = patch;
    if (!isMap) {
      if (isDeleteList) return original.filter((v) => !patch.some((d) => sameValue(d, v)));
      merged = dedupe([...original, ...patch]);
    } else {
      if (meta.mergeKey === '') throw errNoMergeKeyForList(nameOf(meta.schema));
      [base, patchItems] = mergeSliceWithSpecialElements(original, patch, meta.mergeKey);
      merged = this.mergeSliceWithoutSpecialElements([...base], patchItems, meta.mergeKey, items);
    }
    const [inPatch, serverOnly] = partitionByPresence(merged, patchItems, meta.mergeKey, isMap);
    return normalizeElementOrder(inPatch, serverOnly, patchItems, base, meta.mergeKey, isMap);
  }

  private mergeSliceWithoutSpecialElements(
    original: unknown[],
    patch: unknown[],
    mergeKey: string,
    items: Schema | undefined,
  ): unknown[] {
    for (const v of patch) {
      const item = v as JsonMap;
      if (!(mergeKey in item)) throw errNoMergeKey(item, mergeKey);
      const at = findByKey(original, mergeKey, item[mergeKey]);
      if (at >= 0) original[at] = this.mergeMap(original[at] as JsonMap, item, items);
      else original.push(item);
    }
    return original;
  }

  /**
   * Processes each `$setElementOrder/<list>` with its list: merges the list and enforces the
   * order, then removes both from the patch so the main loop does not see them again.
   */
  private mergeSetElementOrder(
    original: JsonMap,
    patch: JsonMap,
    schema: Schema | undefined,
  ): void {
    for (const key of Object.keys(patch)) {
      if (!key.startsWith(setElementOrderPrefix)) continue;
      const order = patch[key];
      delete patch[key];
      if (!Array.isArray(order)) throw errBadArgType('slice', order);
      const listKey = extractKey(key, setElementOrderPrefix);
      const foundOriginal = listKey in original;
      const foundPatch = listKey in patch;
      const originalList = foundOriginal ? asSlice(original[listKey]) : [];
      const patchList = foundPatch ? asSlice(patch[listKey]) : [];
      const meta = this.patchMeta(schema, listKey);
      validatePatchWithSetOrderList(patchList, order, meta.mergeKey);
      let merged: unknown[];
      if (foundOriginal && foundPatch) {
        merged = this.mergeSliceHandler(originalList, patchList, meta, false);
      } else if (foundOriginal) {
        merged = originalList;
      } else if (foundPatch) {
        merged = patchList;
      } else {
        continue;
      }
      // Partitioning by merge key for maps, by value for scalars; the kind comes from the lists.
      const [inOrder, serverOnly] = partitionByPresence(
        merged,
        order,
        meta.mergeKey,
        meta.mergeKey !== '',
      );
      if (originalList.length === 0 && patchList.length === 0) throw errNoElements();
      const isMap = sliceElementKind(originalList, patchList) === 'map';
      original[listKey] = normalizeElementOrder(
        inOrder,
        serverOnly,
        order,
        originalList,
        meta.mergeKey,
        isMap,
      );
      delete patch[listKey];
    }
  }
}

function handleDirectiveInMergeMap(directive: unknown, patch: JsonMap): JsonMap {
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
function applyRetainKeysDirective(original: JsonMap, patch: JsonMap): void {
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
function mergeSliceWithSpecialElements(
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
function validatePatchWithSetOrderList(
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
function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw prefix === deleteFromPrimitiveListPrefix
      ? errBadPatchFormatForPrimitiveList()
      : errBadPatchFormatForSetElementOrderList();
  }
  return key.slice(slash + 1);
}

/** Upstream's `extractRetainKeysPatchStrategy`: the strategy besides `retainKeys`. */
function extractRetainKeysPatchStrategy(strategies: string[]): string {
  if (strategies.length === 0) return '';
  if (strategies.length === 1) return strategies[0] === 'retainKeys' ? '' : strategies[0];
  if (strategies.length === 2) {
    if (strategies[0] === 'retainKeys') return strategies[1];
    if (strategies[1] === 'retainKeys') return strategies[0];
  }
  throw errUnexpectedPatchStrategy(strategies);
}

/** Removes directive maps from a value copied from the patch; false means drop the value. */
function removeDirectives(value: unknown): [unknown, boolean] {
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

function discardNullValues(value: unknown): void {
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
function sliceElementKind(...lists: unknown[][]): 'map' | 'scalar' | undefined {
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

function findByKey(list: unknown[], mergeKey: string, value: unknown): number {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isMapValue(item)) throw errBadArgType('map', item);
    if (mergeKey in item && sameValue(item[mergeKey], value)) return i;
  }
  return -1;
}

function dedupe(values: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of values) if (indexOf(out, v, '', false) < 0) out.push(v);
  return out;
}

function asSlice(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw errBadArgType('slice', v);
  return v;
}

function nameOf(schema: Schema | undefined): string {
  return schema?.items?.$ref ?? schema?.type ?? 'unknown';
}

function isMapValue(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The JSON kind, distinguishing the kinds strategic merge treats differently. */
function kindOf(v: unknown): 'map' | 'list' | string {
  if (Array.isArray(v)) return 'list';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'map';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  return typeof v;
}
