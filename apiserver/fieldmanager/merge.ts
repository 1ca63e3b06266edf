/**
 * upstream `TypedValue.Merge` and `RemoveItems`.
 *
 * Merge lays `rhs` (an applied configuration) over `lhs` (the live object): leaves take the rhs
 * value when it has one; associative lists merge item by key (live order first, then new items
 * in the configuration's order); granular maps merge key by key; atomic lists and maps are
 * replaced whole. Neither input is modified.
 *
 * RemoveItems deletes the given paths from a value: fields, map entries and list items. A map or
 * list emptied by the removal is removed from its parent (upstream leaves a null, which decoding
 * drops).
 */
import type { TypeRef } from './atoms.js';
import { valueKind } from './atoms.js';
import { bothEmpty, keyed } from './compare.js';
import type { Path } from './fieldpath.js';
import type { FieldSet } from './set.js';
import type { TypedContext } from './typed.js';
import { childRef, isNamedField, listItemElement, resolve } from './typed.js';

/** The merge of `lhs` and `rhs`; undefined when both are absent. */
export function merge(ctx: TypedContext, ref: TypeRef, lhs: unknown, rhs: unknown): unknown {
  return mergeAt(ctx, ref, lhs, rhs, []);
}

function mergeAt(
  ctx: TypedContext,
  ref: TypeRef | undefined,
  lhs: unknown,
  rhs: unknown,
  path: Path,
): unknown {
  if (rhs === undefined) return clone(lhs);
  if (lhs === undefined) return clone(rhs);
  const lk = valueKind(lhs);
  const rk = valueKind(rhs);
  // A null in the configuration does not clear a granular container: its items are kept.
  const atom = resolve(ctx, ref, rk === 'null' ? lhs : rhs);
  const lists = (lk === 'list' || lk === 'null') && (rk === 'list' || rk === 'null');
  const maps = (lk === 'map' || lk === 'null') && (rk === 'map' || rk === 'null');
  if (atom.kind === 'list' && atom.associative && lists && !bothEmpty(lhs, rhs)) {
    const lItems = keyed(ctx, atom, lhs, path);
    const rItems = keyed(ctx, atom, rhs, path);
    const out: unknown[] = [];
    for (const [id, l] of lItems) {
      out.push(mergeAt(ctx, atom.element, l.item, rItems.get(id)?.item, [...path, l.pe]));
    }
    for (const [id, r] of rItems) if (!lItems.has(id)) out.push(clone(r.item));
    return out;
  }
  if (atom.kind === 'map' && !atom.atomic && maps && !bothEmpty(lhs, rhs)) {
    const l = (lhs ?? {}) as Record<string, unknown>;
    const r = (rhs ?? {}) as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(l)) {
      const type = isNamedField(atom, key) ? atom.fields[key] : (atom.element ?? 'deduced');
      out[key] = mergeAt(ctx, type, l[key], r[key], [...path, { field: key }]);
    }
    for (const key of Object.keys(r)) if (!(key in l)) out[key] = clone(r[key]);
    return out;
  }
  return clone(rhs);
}

/** `value` without the paths in `toRemove`. */
export function removeItems(
  ctx: TypedContext,
  ref: TypeRef,
  value: unknown,
  toRemove: FieldSet,
): unknown {
  if (toRemove.empty()) return value;
  return removeAt(ctx, ref, value, toRemove, []);
}

function removeAt(
  ctx: TypedContext,
  ref: TypeRef | undefined,
  value: unknown,
  toRemove: FieldSet,
  path: Path,
): unknown {
  const atom = resolve(ctx, ref, value);
  const kind = valueKind(value);
  if (atom.kind === 'list' && atom.associative && kind === 'list') {
    const items = value as unknown[];
    if (items.length === 0) return value;
    const out: unknown[] = [];
    items.forEach((item, i) => {
      const pe = listItemElement(ctx, atom, item, i, [], path);
      if (pe && toRemove.hasMember(pe)) return;
      const sub = pe ? toRemove.withPrefix(pe) : undefined;
      const kept =
        sub && !sub.empty() ? removeAt(ctx, atom.element, item, sub, [...path, pe!]) : item;
      if (kept !== undefined) out.push(kept);
    });
    return out.length > 0 ? out : undefined;
  }
  if (atom.kind === 'map' && !atom.atomic && kind === 'map') {
    const map = value as Record<string, unknown>;
    if (Object.keys(map).length === 0) return value;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(map)) {
      const pe = { field: key };
      if (toRemove.hasMember(pe)) continue;
      const sub = toRemove.withPrefix(pe);
      const kept = sub.empty()
        ? child
        : removeAt(ctx, childRef(ctx, atom, pe), child, sub, [...path, pe]);
      if (kept !== undefined) out[key] = kept;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return value;
}

function clone<T>(v: T): T {
  return v === undefined ? v : structuredClone(v);
}
