/**
 * The finalizer helper (kube-rs `finalizer`, controller-runtime `pkg/finalizer`): runs `apply`
 * while an object lives and `cleanup` when it is deleted, using a finalizer so deletion waits.
 *
 * Flow, for one reconcile of `object`:
 * 1. Not being deleted, finalizer missing → the finalizer is added (a merge patch guarded by the
 *    object's resourceVersion); once the server has it, `apply` runs on the patched object.
 * 2. Not being deleted, finalizer present → `apply` runs.
 * 3. Being deleted, finalizer present → `cleanup` runs; when it succeeds the finalizer is removed
 *    (guarded the same way), letting the deletion complete.
 * 4. Being deleted, finalizer absent → nothing runs (apply never started, or cleanup is done).
 *
 * Guarantees: if `apply` ever started, `cleanup` succeeds before the object is gone (the finalizer
 * was in place first); if `cleanup` fails it is retried with backoff and the object stays. Both
 * must be idempotent (they may run again after a crash or a conflict). Not guaranteed: that
 * `cleanup` runs for objects deleted before their finalizer was added, or when someone else
 * removes the finalizer.
 */
import type { Client, Kind, KindRef, KubernetesObject } from '../client/index.js';
import { containsFinalizer, gvkOf } from '../client/index.js';
import type { Result } from './reconcile.js';

export type FinalizerEvent<T> =
  { type: 'apply'; object: Readonly<T> } | { type: 'cleanup'; object: Readonly<T> };

export async function finalizer<T extends KubernetesObject>(
  client: Client,
  name: string,
  object: Readonly<T>,
  reconcile: (event: FinalizerEvent<T>) => Promise<Result | void> | Result | void,
  kind?: KindRef | Kind,
): Promise<Result | void> {
  const present = containsFinalizer(object, name);
  if (!object.metadata?.deletionTimestamp) {
    if (!present) {
      const patched = await patchFinalizers(
        client,
        object,
        [...(object.metadata?.finalizers ?? []), name],
        kind,
      );
      return reconcile({ type: 'apply', object: patched as Readonly<T> });
    }
    return reconcile({ type: 'apply', object });
  }
  if (!present) return;
  const result = await reconcile({ type: 'cleanup', object });
  await patchFinalizers(
    client,
    object,
    (object.metadata?.finalizers ?? []).filter((f) => f !== name),
    kind,
  );
  return result;
}

async function patchFinalizers(
  client: Client,
  object: Readonly<KubernetesObject>,
  finalizers: string[],
  kind: KindRef | undefined,
): Promise<KubernetesObject> {
  return client.patch(
    kind ?? gvkOf(object),
    object.metadata!.name!,
    { metadata: { finalizers, resourceVersion: object.metadata?.resourceVersion } },
    { namespace: object.metadata?.namespace },
  );
}
