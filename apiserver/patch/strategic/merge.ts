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
import { errBadArgType, errNoElements, errNoMergeKey, errNoMergeKeyForList } from './errors.js';
import {
  applyRetainKeysDirective,
  asSlice,
  dedupe,
  discardNullValues,
  extractKey,
  extractRetainKeysPatchStrategy,
  findByKey,
  handleDirectiveInMergeMap,
  kindOf,
  mergeSliceWithSpecialElements,
  nameOf,
  removeDirectives,
  sliceElementKind,
  validatePatchWithSetOrderList,
  deleteFromPrimitiveListPrefix,
  directiveMarker,
  setElementOrderPrefix,
} from './directives.js';
import { normalizeElementOrder, partitionByPresence, sameValue } from './order.js';

import type { JsonMap } from './directives.js';

export type { JsonMap } from './directives.js';

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
