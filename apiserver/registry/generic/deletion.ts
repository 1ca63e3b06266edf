/**
 * Deletion, as upstream's `Store.Delete` + `rest.BeforeDelete`:
 *
 * 1. Preconditions (`uid`, `resourceVersion`) must hold, else 409 Conflict.
 * 2. Graceful types (pods, via `StoreHooks.gracePeriodSeconds`) get `deletionTimestamp = now +
 *    grace` and `deletionGracePeriodSeconds = grace`; a second delete may only shorten the grace
 *    period. Grace 0 deletes at once (unless finalizers remain).
 * 3. The propagation policy is recorded as the garbage collector's finalizers: `orphan` for
 *    Orphan (or the type's default), `foregroundDeletion` for Foreground; Background removes both.
 * 4. An object with finalizers gets `deletionTimestamp = now`, grace 0 and stays until the last
 *    finalizer is removed (then an update deletes it); `generation` is bumped once when the
 *    deletion starts.
 * 5. Otherwise the key is deleted (compare-and-swap on its modRevision; retried on a race).
 *
 * The result says whether the object is gone; a pending deletion returns the updated object.
 */
import { newConflict, newNotFound, type StatusError } from '../../../common/index.js';
import { decodeKeyValue, encodeObject } from '../../storage/codec.js';
import type { KubeObject } from '../types.js';
import type { WriteContext } from './context.js';
import type { DeleteOptions } from './hooks.js';
import { rfc3339 } from './meta.js';
import type { GenericStore } from './store.js';

export interface DeleteOutcome {
  /** The object: the deleted state when `deleted`, else its updated (still stored) state. */
  object: KubeObject;
  /** True when the object left storage (or would have, for a dry run). */
  deleted: boolean;
  /**
   * Upstream `finalizeDelete`: the response is a `Status` (or the object, for types that return
   * deleted objects) rather than the updated object. True when deleted and for a graceful
   * deletion already pending.
   */
  finalized: boolean;
}

const orphanFinalizer = 'orphan';
const foregroundFinalizer = 'foregroundDeletion';

/** Deletes `name`; see the module comment. */
export async function deleteObject(
  store: GenericStore,
  name: string,
  options: DeleteOptions,
  ctx: WriteContext,
): Promise<DeleteOutcome> {
  const key = store.key(ctx.namespace, name);
  for (;;) {
    const current = await store.readCurrent(ctx.namespace, name);
    if (!current) throw newNotFound(store.groupResource, name);
    const obj = structuredClone(current.obj);
    checkPreconditions(store, obj, options);
    await store.admitDelete(current.obj, ctx);
    const meta = (obj.metadata ??= {});
    const before = JSON.stringify(meta);

    const grace = gracefulDelete(store, obj, options);
    if (grace === 'pending') return { object: current.obj, deleted: false, finalized: true };

    const finalizers = finalizersFor(store, meta.finalizers ?? [], options);
    if (finalizers.length > 0 || (meta.finalizers ?? []).length > 0) {
      if (finalizers.length === 0) delete meta.finalizers;
      else meta.finalizers = finalizers;
    }
    const pendingFinalizers = finalizers.length > 0;
    if (pendingFinalizers && grace === undefined) markAsDeleting(store, obj);

    const keepStored = pendingFinalizers || (grace !== undefined && grace > 0);
    if (keepStored) {
      if (JSON.stringify(meta) === before) {
        return { object: current.obj, deleted: false, finalized: false };
      }
      if (ctx.dryRun) return { object: obj, deleted: false, finalized: false };
      const res = await store.storage.update(
        key,
        encodeObject(store.view.toStorage(obj)),
        current.modRevision,
      );
      if (!res.succeeded) continue;
      const object = store.view.fromStorage(decodeKeyValue(res.kv));
      return { object, deleted: false, finalized: false };
    }

    if (ctx.dryRun) return { object: current.obj, deleted: true, finalized: true };
    const res = await store.storage.delete(key, current.modRevision);
    if (!res.succeeded) {
      if (!res.current) throw newNotFound(store.groupResource, name);
      continue;
    }
    store.hooks.afterDelete?.(current.obj);
    const gone = structuredClone(current.obj);
    gone.metadata!.resourceVersion = String(res.revision);
    return { object: gone, deleted: true, finalized: true };
  }
}

function checkPreconditions(store: GenericStore, obj: KubeObject, options: DeleteOptions): void {
  const pre = options.preconditions;
  if (!pre) return;
  const meta = obj.metadata ?? {};
  // Upstream names the kind here, not the resource.
  const gr = { group: store.type.group, resource: store.type.kind };
  let err: StatusError | undefined;
  if (pre.uid !== undefined && pre.uid !== null && pre.uid !== meta.uid) {
    err = newConflict(
      gr,
      meta.name ?? '',
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid ?? ''}`,
    );
  } else if (
    pre.resourceVersion !== undefined &&
    pre.resourceVersion !== null &&
    pre.resourceVersion !== meta.resourceVersion
  ) {
    err = newConflict(
      gr,
      meta.name ?? '',
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion ?? ''}`,
    );
  }
  if (err) throw err;
}

/**
 * `rest.BeforeDelete` for graceful types: sets the deletion timestamp and grace period on `obj`
 * and returns the grace period; 'pending' when a graceful deletion is already under way and this
 * request does not shorten it; undefined for types (or requests) deleted without grace.
 */
function gracefulDelete(
  store: GenericStore,
  obj: KubeObject,
  options: DeleteOptions,
): number | 'pending' | undefined {
  const hook = store.hooks.gracePeriodSeconds;
  if (!hook) return undefined;
  const meta = obj.metadata!;
  const requested =
    options.gracePeriodSeconds !== undefined && options.gracePeriodSeconds < 0
      ? 1
      : options.gracePeriodSeconds;
  if (meta.deletionTimestamp !== undefined) {
    const currentGrace = meta.deletionGracePeriodSeconds ?? 0;
    if (currentGrace === 0) return undefined;
    if (requested === undefined || requested >= currentGrace) return 'pending';
    const start = Date.parse(meta.deletionTimestamp) - currentGrace * 1000;
    meta.deletionTimestamp = rfc3339(start + requested * 1000);
    meta.deletionGracePeriodSeconds = requested;
    return requested;
  }
  const grace = hook(obj, { ...options, gracePeriodSeconds: requested });
  if (grace === undefined) return undefined;
  meta.deletionTimestamp = rfc3339(store.clock.now() + grace * 1000);
  meta.deletionGracePeriodSeconds = grace;
  if (meta.generation !== undefined && meta.generation > 0) meta.generation++;
  return grace;
}

/** `deletionFinalizersForGarbageCollection`: the finalizers after applying the policy. */
function finalizersFor(store: GenericStore, existing: string[], options: DeleteOptions): string[] {
  let orphan: boolean;
  let foreground: boolean;
  if (options.orphanDependents !== undefined && options.orphanDependents !== null) {
    orphan = options.orphanDependents;
    foreground = false;
  } else if (options.propagationPolicy) {
    orphan = options.propagationPolicy === 'Orphan';
    foreground = options.propagationPolicy === 'Foreground';
  } else if (existing.includes(orphanFinalizer) || existing.includes(foregroundFinalizer)) {
    orphan = existing.includes(orphanFinalizer);
    foreground = !orphan && existing.includes(foregroundFinalizer);
  } else {
    orphan = store.type.defaultPropagation === 'Orphan';
    foreground = false;
  }
  const out = existing.filter((f) => f !== orphanFinalizer && f !== foregroundFinalizer);
  if (orphan) out.push(orphanFinalizer);
  if (foreground) out.push(foregroundFinalizer);
  const same = out.length === existing.length && out.every((f) => existing.includes(f));
  return same ? existing : out;
}

/** `markAsDeleting`: deletionTimestamp now (or earlier), grace 0, generation bumped once. */
function markAsDeleting(store: GenericStore, obj: KubeObject): void {
  const meta = obj.metadata!;
  const now = store.clock.now();
  if (
    meta.deletionTimestamp === undefined &&
    meta.generation !== undefined &&
    meta.generation > 0
  ) {
    meta.generation++;
  }
  if (meta.deletionTimestamp === undefined || Date.parse(meta.deletionTimestamp) > now) {
    meta.deletionTimestamp = rfc3339(now);
  }
  meta.deletionGracePeriodSeconds = 0;
}
