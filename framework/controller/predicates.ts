/**
 * Predicates filter the events a controller reacts to (controller-runtime `pkg/predicate`). A
 * predicate answers per event kind; a missing answer means "yes".
 */
import { parseLabelSelector, type Selector } from '../../common/index.js';
import type { KubernetesObject } from '../client/index.js';
import { deepEqual } from '../client/index.js';

export interface CreateEvent<T> {
  object: Readonly<T>;
  /** The object came with the first list (or a replay), not as a new creation. */
  isInInitialList: boolean;
}
export interface UpdateEvent<T> {
  objectOld: Readonly<T>;
  objectNew: Readonly<T>;
}
export interface DeleteEvent<T> {
  object: Readonly<T>;
  /** The deletion was inferred from a relist; `object` may be stale. */
  deleteStateUnknown: boolean;
}
export interface GenericEvent<T> {
  object: Readonly<T>;
}

export interface Predicate<T = KubernetesObject> {
  create?(e: CreateEvent<T>): boolean;
  update?(e: UpdateEvent<T>): boolean;
  delete?(e: DeleteEvent<T>): boolean;
  generic?(e: GenericEvent<T>): boolean;
}

/** One filter for every event kind (`NewPredicateFuncs`); updates test the new object. */
export function newPredicateFuncs<T>(filter: (obj: Readonly<T>) => boolean): Predicate<T> {
  return {
    create: (e) => filter(e.object),
    update: (e) => filter(e.objectNew),
    delete: (e) => filter(e.object),
    generic: (e) => filter(e.object),
  };
}

/** Updates pass only when `metadata.generation` changed (spec changes, not status). */
export const generationChanged: Predicate<KubernetesObject> = {
  update: (e) => e.objectOld.metadata?.generation !== e.objectNew.metadata?.generation,
};

/** Updates pass only when the resourceVersion changed (filters resyncs). */
export const resourceVersionChanged: Predicate<KubernetesObject> = {
  update: (e) => e.objectOld.metadata?.resourceVersion !== e.objectNew.metadata?.resourceVersion,
};

/** Updates pass only when labels changed. */
export const labelsChanged: Predicate<KubernetesObject> = {
  update: (e) => !deepEqual(e.objectOld.metadata?.labels ?? {}, e.objectNew.metadata?.labels ?? {}),
};

/** Updates pass only when annotations changed. */
export const annotationsChanged: Predicate<KubernetesObject> = {
  update: (e) =>
    !deepEqual(e.objectOld.metadata?.annotations ?? {}, e.objectNew.metadata?.annotations ?? {}),
};

/** Only objects whose labels match `selector` (string form or parsed). */
export function labelSelectorPredicate(selector: string | Selector): Predicate<KubernetesObject> {
  const parsed = typeof selector === 'string' ? parseLabelSelector(selector) : selector;
  return newPredicateFuncs((o) => parsed.matches(o.metadata?.labels));
}

type Kind = keyof Predicate<unknown>;

function evaluate<T>(p: Predicate<T>, kind: Kind, e: unknown): boolean {
  const fn = p[kind] as ((e: unknown) => boolean) | undefined;
  return fn ? fn.call(p, e) : true;
}

function combine<T>(fn: (kind: Kind, e: unknown) => boolean): Predicate<T> {
  return {
    create: (e) => fn('create', e),
    update: (e) => fn('update', e),
    delete: (e) => fn('delete', e),
    generic: (e) => fn('generic', e),
  };
}

export function and<T>(...ps: Predicate<T>[]): Predicate<T> {
  return combine((kind, e) => ps.every((p) => evaluate(p, kind, e)));
}

export function or<T>(...ps: Predicate<T>[]): Predicate<T> {
  return combine((kind, e) => ps.some((p) => evaluate(p, kind, e)));
}

export function not<T>(p: Predicate<T>): Predicate<T> {
  return combine((kind, e) => !evaluate(p, kind, e));
}

/** Whether every predicate lets the event through. */
export function allow<T>(ps: readonly Predicate<T>[], kind: Kind, e: unknown): boolean {
  for (const p of ps) if (!evaluate(p, kind, e)) return false;
  return true;
}
