/**
 * Transforms run on every object before it is cached and handed to handlers (client-go
 * `TransformFunc`): they exist to shrink the cache. A transform receives the freshly decoded object
 * (nothing else holds it yet, so changing it in place is allowed), must return the object to cache,
 * and must be idempotent.
 */
import type { KubernetesObject } from '../client/index.js';

export type TransformFunc<T extends KubernetesObject = KubernetesObject> = (obj: T) => T;

/** Removes `metadata.managedFields` (controller-runtime `TransformStripManagedFields`). The default. */
export function stripManagedFields<T extends KubernetesObject>(obj: T): T {
  if (obj.metadata?.managedFields !== undefined) {
    // Rebuilt rather than `delete`d: deleting a property turns the object into a slower, larger
    // dictionary-mode object in V8.
    const { managedFields: _dropped, ...metadata } = obj.metadata;
    obj.metadata = metadata;
  }
  return obj;
}

/**
 * Keeps only `apiVersion`, `kind` and `metadata` (without managedFields): the shape of a
 * `PartialObjectMetadata`, for metadata-only informers.
 */
export function toPartialObjectMetadata<T extends KubernetesObject>(obj: T): KubernetesObject {
  const metadata = obj.metadata ? { ...obj.metadata } : {};
  delete metadata.managedFields;
  return { apiVersion: obj.apiVersion, kind: obj.kind, metadata };
}

/** Applies transforms left to right. */
export function composeTransforms<T extends KubernetesObject>(
  ...fns: Array<TransformFunc<T> | undefined>
): TransformFunc<T> {
  const list = fns.filter((f): f is TransformFunc<T> => f !== undefined);
  return (obj) => list.reduce((o, f) => f(o), obj);
}
