/**
 * upstream `TypedValue.Compare`: the fields added, modified and removed between two values of the
 * same type. Leaves (scalars, atomic lists and maps, and lists or maps empty on both sides) are
 * compared by value; a container that appears or disappears is itself added or removed, along
 * with everything under it. No path is in more than one of the three sets.
 *
 * `undefined` means absent; `null` is a value.
 */
import type { TypeRef } from './atoms.js';
import { valueKind } from './atoms.js';
import type { Path, PathElement } from './fieldpath.js';
import { serializePathElement } from './fieldpath.js';
import { FieldSet } from './set.js';
import type { TypedContext } from './typed.js';
import { isNamedField, listItemElement, resolve } from './typed.js';

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

export function compare(ctx: TypedContext, ref: TypeRef, lhs: unknown, rhs: unknown): Comparison {
  const cmp = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  visit(ctx, ref, lhs, rhs, [], cmp);
  return cmp;
}

/** Excludes `fields` (and everything under them) from a comparison. */
export function excludeFields(cmp: Comparison, fields: FieldSet | undefined): Comparison {
  if (!fields || fields.empty()) return cmp;
  return {
    added: cmp.added.recursiveDifference(fields),
    modified: cmp.modified.recursiveDifference(fields),
    removed: cmp.removed.recursiveDifference(fields),
  };
}

function visit(
  ctx: TypedContext,
  ref: TypeRef | undefined,
  lhs: unknown,
  rhs: unknown,
  path: Path,
  cmp: Comparison,
): void {
  const lk = lhs === undefined ? 'absent' : valueKind(lhs);
  const rk = rhs === undefined ? 'absent' : valueKind(rhs);
  const atom = resolve(ctx, ref, rhs !== undefined ? rhs : lhs);
  const sameShape =
    lk === 'absent' || rk === 'absent' || lk === rk || lk === 'null' || rk === 'null';
  let recursed = false;
  if (sameShape && atom.kind === 'list' && atom.associative && !bothEmpty(lhs, rhs)) {
    recursed = true;
    const lItems = keyed(ctx, atom, lhs, path);
    const rItems = keyed(ctx, atom, rhs, path);
    for (const [id, r] of rItems)
      visit(ctx, atom.element, lItems.get(id)?.item, r.item, [...path, r.pe], cmp);
    for (const [id, l] of lItems) {
      if (!rItems.has(id)) visit(ctx, atom.element, l.item, undefined, [...path, l.pe], cmp);
    }
  } else if (sameShape && atom.kind === 'map' && !atom.atomic && !bothEmpty(lhs, rhs)) {
    recursed = true;
    const l = (lk === 'map' ? lhs : {}) as Record<string, unknown>;
    const r = (rk === 'map' ? rhs : {}) as Record<string, unknown>;
    const keys = new Set([...Object.keys(l), ...Object.keys(r)]);
    for (const key of keys) {
      const type = isNamedField(atom, key) ? atom.fields[key] : (atom.element ?? 'deduced');
      visit(ctx, type, l[key], r[key], [...path, { field: key }], cmp);
    }
  }
  if (!recursed) {
    if (lhs === undefined) cmp.added.insert(path);
    else if (rhs === undefined) cmp.removed.insert(path);
    else if (!deepEqual(lhs, rhs)) cmp.modified.insert(path);
    return;
  }
  if (lhs === undefined) cmp.added.insert(path);
  else if (rhs === undefined) cmp.removed.insert(path);
}

/** Items of an associative list by path element (first occurrence wins). */
export function keyed(
  ctx: TypedContext,
  atom: Parameters<typeof listItemElement>[1],
  list: unknown,
  path: Path,
): Map<string, { pe: PathElement; item: unknown }> {
  const out = new Map<string, { pe: PathElement; item: unknown }>();
  if (!Array.isArray(list)) return out;
  list.forEach((item, i) => {
    const pe = listItemElement(ctx, atom, item, i, [], path);
    if (!pe) return;
    const id = serializePathElement(pe);
    if (!out.has(id)) out.set(id, { pe, item });
  });
  return out;
}

/** Both sides are null, absent or an empty list/map: the node is compared as a leaf. */
export function bothEmpty(lhs: unknown, rhs: unknown): boolean {
  return isEmpty(lhs) && isEmpty(rhs);
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v as object).length === 0;
  return false;
}

/** Structural equality of JSON values (object key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => deepEqual(v, b[i]));
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) =>
      Object.prototype.hasOwnProperty.call(b, k) &&
      deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}
