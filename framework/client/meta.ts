/**
 * Helpers on object metadata and status (controller-runtime `controllerutil`, apimachinery
 * `meta`): owner and controller references, finalizers, and status conditions. They change the
 * object they are given (pass a copy of a cached object) and report whether anything changed.
 */
import type { V1Condition } from '@kubernetes/client-node';
import {
  apiVersionOf,
  gvkOf,
  type Json,
  type Kind,
  type KubernetesObject,
  type OwnerReference,
} from './types.js';

/** A condition as on the wire (`metav1.Condition`). */
export type Condition = Json<V1Condition>;

/** Thrown when an object already has a different controller (controllerutil `AlreadyOwnedError`). */
export class AlreadyOwnedError extends Error {
  constructor(object: KubernetesObject, owner: OwnerReference) {
    super(
      `Object ${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''} is already owned by another ${owner.kind} controller ${owner.name}`,
    );
    this.name = 'AlreadyOwnedError';
  }
}

function referenceTo(owner: KubernetesObject, kind?: Kind): OwnerReference {
  const gvk = owner.apiVersion && owner.kind ? gvkOf(owner) : kind;
  if (!gvk) throw new Error('the owner needs apiVersion and kind (or pass its Kind)');
  const name = owner.metadata?.name;
  const uid = owner.metadata?.uid;
  if (!name || !uid)
    throw new Error(
      'the owner needs metadata.name and metadata.uid (read it from the server first)',
    );
  return { apiVersion: apiVersionOf(gvk), kind: gvk.kind, name, uid };
}

function checkScope(owner: KubernetesObject, object: KubernetesObject): void {
  const ownerNs = owner.metadata?.namespace;
  const objectNs = object.metadata?.namespace;
  if (ownerNs && ownerNs !== objectNs) {
    throw new Error(
      `cross-namespace owner references are disallowed, owner's namespace ${ownerNs}, obj's namespace ${objectNs ?? ''}`,
    );
  }
}

function upsertReference(object: KubernetesObject, ref: OwnerReference): void {
  const meta = (object.metadata ??= {});
  const refs = (meta.ownerReferences ??= []);
  const i = refs.findIndex(
    (r) =>
      r.uid === ref.uid ||
      (r.kind === ref.kind && r.name === ref.name && sameGroup(r.apiVersion, ref.apiVersion)),
  );
  if (i >= 0) refs[i] = ref;
  else refs.push(ref);
}

function sameGroup(a: string, b: string): boolean {
  const group = (v: string) => (v.includes('/') ? v.slice(0, v.indexOf('/')) : '');
  return group(a) === group(b);
}

/**
 * Makes `owner` the controller of `object` (`controller: true`, `blockOwnerDeletion: true`), so the
 * garbage collector deletes `object` with `owner`. Throws {@link AlreadyOwnedError} when another
 * object is its controller, and for an owner in another namespace.
 */
export function setControllerReference(
  owner: KubernetesObject,
  object: KubernetesObject,
  kind?: Kind,
): void {
  checkScope(owner, object);
  const ref = { ...referenceTo(owner, kind), controller: true, blockOwnerDeletion: true };
  const existing = getControllerOf(object);
  if (existing && existing.uid !== ref.uid) throw new AlreadyOwnedError(object, existing);
  upsertReference(object, ref);
}

/** Adds (or refreshes) a non-controller owner reference. */
export function setOwnerReference(
  owner: KubernetesObject,
  object: KubernetesObject,
  kind?: Kind,
): void {
  checkScope(owner, object);
  upsertReference(object, referenceTo(owner, kind));
}

/** The controller reference of `object`, if any. */
export function getControllerOf(object: Readonly<KubernetesObject>): OwnerReference | undefined {
  return object.metadata?.ownerReferences?.find((r) => r.controller);
}

/** True when `owner` (by uid) is the controller of `object`. */
export function isControlledBy(
  object: Readonly<KubernetesObject>,
  owner: Readonly<KubernetesObject>,
): boolean {
  const ref = getControllerOf(object);
  return !!ref && !!owner.metadata?.uid && ref.uid === owner.metadata.uid;
}

export function containsFinalizer(object: Readonly<KubernetesObject>, finalizer: string): boolean {
  return object.metadata?.finalizers?.includes(finalizer) ?? false;
}

/** Adds `finalizer`; true when it was missing. */
export function addFinalizer(object: KubernetesObject, finalizer: string): boolean {
  if (containsFinalizer(object, finalizer)) return false;
  const meta = (object.metadata ??= {});
  meta.finalizers = [...(meta.finalizers ?? []), finalizer];
  return true;
}

/** Removes `finalizer`; true when it was there. */
export function removeFinalizer(object: KubernetesObject, finalizer: string): boolean {
  if (!containsFinalizer(object, finalizer)) return false;
  object.metadata!.finalizers = object.metadata!.finalizers!.filter((f) => f !== finalizer);
  return true;
}

export function findStatusCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isStatusConditionTrue(
  conditions: readonly Condition[] | undefined,
  type: string,
): boolean {
  return findStatusCondition(conditions, type)?.status === 'True';
}

/**
 * Sets a condition in `conditions` (apimachinery `meta.SetStatusCondition`): `lastTransitionTime`
 * changes only when the status changes (set to `now` when missing); reason, message and
 * observedGeneration are always updated. Returns true when anything changed.
 */
export function setStatusCondition(
  conditions: Condition[],
  condition: Omit<Condition, 'lastTransitionTime'> & { lastTransitionTime?: string },
  now: Date = new Date(),
): boolean {
  const stamp = condition.lastTransitionTime ?? rfc3339(now);
  const existing = conditions.find((c) => c.type === condition.type);
  if (!existing) {
    conditions.push({ ...condition, lastTransitionTime: stamp });
    return true;
  }
  let changed = false;
  if (existing.status !== condition.status) {
    existing.status = condition.status;
    existing.lastTransitionTime = stamp;
    changed = true;
  }
  for (const field of ['reason', 'message', 'observedGeneration'] as const) {
    if (existing[field] !== condition[field]) {
      (existing as Record<string, unknown>)[field] = condition[field];
      changed = true;
    }
  }
  return changed;
}

/** Removes the condition of `type`; true when it was there. */
export function removeStatusCondition(conditions: Condition[], type: string): boolean {
  const i = conditions.findIndex((c) => c.type === type);
  if (i < 0) return false;
  conditions.splice(i, 1);
  return true;
}

/** RFC 3339 with second precision, as `metav1.Time` serialises. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
