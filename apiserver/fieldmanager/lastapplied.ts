/**
 * Interplay with client-side apply's `kubectl.kubernetes.io/last-applied-configuration`, as
 * upstream's `lastAppliedManager` and `lastAppliedUpdater` do for the `kubectl` field manager:
 *
 * - conflicts on fields that the last-applied configuration set to the values they still have are
 *   allowed (the object is being upgraded from client-side to server-side apply);
 * - after a successful server-side apply, an existing annotation is rewritten to the applied
 *   configuration, so a later client-side apply computes its patch from it.
 */
import type { TypeRef } from './atoms.js';
import { compare } from './compare.js';
import { lastAppliedConfigAnnotation } from './defaults.js';
import type { FieldSet } from './set.js';
import type { TypedContext } from './typed.js';
import { toFieldSet } from './typed.js';

type Obj = Record<string, unknown>;

function annotations(obj: unknown): Record<string, string> | undefined {
  const meta = (obj as Obj | undefined)?.metadata as Obj | undefined;
  return meta?.annotations as Record<string, string> | undefined;
}

export function hasLastApplied(obj: unknown): boolean {
  const value = annotations(obj)?.[lastAppliedConfigAnnotation];
  return typeof value === 'string' && value.length > 0;
}

/**
 * The fields a conflict may be forced on: those the last-applied configuration sets, to the value
 * the live object still has. Undefined when there is no usable annotation.
 */
export function allowedConflictsFromLastApplied(
  ctx: TypedContext,
  root: TypeRef,
  live: unknown,
  apiVersion: string,
): FieldSet | undefined {
  const text = annotations(live)?.[lastAppliedConfigAnnotation];
  if (!text) return undefined;
  let lastApplied: Obj;
  try {
    lastApplied = JSON.parse(text) as Obj;
  } catch {
    return undefined;
  }
  if (
    lastApplied === null ||
    typeof lastApplied !== 'object' ||
    lastApplied.apiVersion !== apiVersion
  ) {
    return undefined;
  }
  const { set } = toFieldSet(ctx, root, lastApplied);
  const diff = compare(ctx, root, lastApplied, live);
  return set.difference(diff.modified).difference(diff.added).difference(diff.removed);
}

/**
 * The annotation value for an applied configuration: its JSON without the annotation itself,
 * keys sorted at every level and a trailing newline, as Go's encoder writes an unstructured map.
 */
export function buildLastApplied(applied: unknown): string {
  const copy = structuredClone(applied) as Obj;
  const ann = annotations(copy);
  if (ann) {
    delete ann[lastAppliedConfigAnnotation];
  }
  return `${JSON.stringify(sortKeys(copy))}\n`;
}

/** Sets the annotation on `obj` (replaces its metadata and annotations maps, never mutating them). */
export function setLastApplied(obj: Obj, value: string): void {
  const meta = { ...((obj.metadata ?? {}) as Obj) };
  meta.annotations = {
    ...((meta.annotations ?? {}) as Record<string, string>),
    [lastAppliedConfigAnnotation]: value,
  };
  obj.metadata = meta;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const out: Obj = {};
    for (const k of Object.keys(v as Obj).sort()) out[k] = sortKeys((v as Obj)[k]);
    return out;
  }
  return v;
}
