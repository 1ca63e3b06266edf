/** Typed access to the manager's shared informers. */
import type { Informer, KindRef, KubernetesObject, Manager } from '../../framework/index.js';

/** The manager's shared informer for `kind` (created on first use), typed for `T`. */
export async function sharedInformer<T extends KubernetesObject>(
  mgr: Manager,
  kind: KindRef,
): Promise<Informer<T>> {
  return (await mgr.informers.informerFor(kind)) as unknown as Informer<T>;
}
