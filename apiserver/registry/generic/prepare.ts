/**
 * The strategy steps of a write, calling the type's hooks when it has them and the generic
 * defaults of the `ResourceType` contract otherwise:
 *
 * - create: `metadata.generation = 1` for types with a `/status` subresource;
 * - update of the main resource: keep the stored status (types with `/status`) and bump
 *   generation when `spec` changed;
 * - update through `/status`: keep everything but `status`.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, RequestContext, ResourceType } from '../types.js';

const hasStatus = (type: ResourceType) => (type.subresources ?? []).includes('status');

export function prepareForCreate(type: ResourceType, obj: KubeObject, rctx: RequestContext): void {
  if (type.prepareForCreate) type.prepareForCreate(obj, rctx);
  else if (hasStatus(type)) (obj.metadata ??= {}).generation = 1;
}

export function prepareForUpdate(
  type: ResourceType,
  obj: KubeObject,
  old: KubeObject,
  rctx: RequestContext,
): void {
  if (type.prepareForUpdate) {
    type.prepareForUpdate(obj, old, rctx);
    return;
  }
  if (!hasStatus(type)) return;
  if (old.status === undefined) delete obj.status;
  else obj.status = structuredClone(old.status);
  const gen = old.metadata?.generation ?? 0;
  (obj.metadata ??= {}).generation = isDeepStrictEqual(obj.spec, old.spec) ? gen : gen + 1;
}

export function prepareForStatusUpdate(
  type: ResourceType,
  obj: KubeObject,
  old: KubeObject,
  rctx: RequestContext,
): void {
  if (type.prepareForStatusUpdate) {
    type.prepareForStatusUpdate(obj, old, rctx);
    return;
  }
  const status = obj.status;
  for (const k of Object.keys(obj)) if (k !== 'status') delete obj[k];
  Object.assign(obj, structuredClone(old));
  if (status === undefined) delete obj.status;
  else obj.status = status;
}

/**
 * Upstream `shouldDeleteDuringUpdate`: an update that leaves a deleting object with no
 * finalizers (and no pending grace period) removes it. A namespace also needs empty
 * `spec.finalizers` (`ShouldDeleteNamespaceDuringUpdate`): until the namespace controller removed
 * `kubernetes` through `/finalize`, status updates must not delete it.
 */
export function finishesDeletion(obj: KubeObject, type?: ResourceType): boolean {
  const meta = obj.metadata ?? {};
  if (type?.group === '' && type.resource === 'namespaces') {
    const spec = obj.spec as { finalizers?: string[] } | undefined;
    if ((spec?.finalizers ?? []).length > 0) return false;
  }
  return (
    meta.deletionTimestamp !== undefined &&
    (meta.finalizers ?? []).length === 0 &&
    (meta.deletionGracePeriodSeconds ?? 0) === 0
  );
}
