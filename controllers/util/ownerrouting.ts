/**
 * Routing a child's events to its owner by controller reference, as upstream's `addPod`,
 * `updatePod`, `deletePod` (and the DaemonSet controller's ControllerRevision handlers) do — one
 * object over `controllerref.ts`'s `resolveControllerRef`, `selectingOwners` and
 * `ownersOfChild`, for controllers that hold their owners' informer:
 *
 * - {@link OwnerRouter.resolve} (`resolveControllerRef`): the owner a controller reference names,
 *   if the cache has it with that UID;
 * - {@link OwnerRouter.selecting}: owners of the child's namespace whose non-empty, valid selector
 *   matches its labels (the candidates to adopt an orphan); a child without labels has none;
 * - {@link OwnerRouter.updated}: the owners an update wakes — the previous controller when the
 *   reference changed; the current one (again after minReadySeconds + 1 s when the child turned
 *   Ready); for an orphan whose labels or reference changed, every owner selecting it. An update
 *   that did not change the resourceVersion (a resync) wakes nobody.
 */
import {
  getControllerOf,
  type Informer,
  type KubernetesObject,
  type OwnerReference,
  type Pod,
  type Selector,
} from '../../framework/index.js';
import { ownersOfChild, resolveControllerRef, selectingOwners } from './controllerref.js';
import { isPodReady } from './pods.js';

export interface OwnerRouterOptions<O extends KubernetesObject> {
  /** The owners' kind (`DaemonSet`, `StatefulSet`). */
  kind: string;
  owners: Informer<O>;
  /** The owner's selector; may throw for an invalid one. */
  selector(owner: Readonly<O>): Selector;
  /** minReadySeconds of the owner (omit for children without readiness). */
  minReadySeconds?(owner: Readonly<O>): number;
}

/** An owner to wake, now or after `afterMs`. */
export interface Wake<O> {
  owner: Readonly<O>;
  afterMs?: number;
}

export class OwnerRouter<O extends KubernetesObject> {
  constructor(private readonly o: OwnerRouterOptions<O>) {}

  /** `resolveControllerRef`. */
  resolve(namespace: string | undefined, ref: OwnerReference | undefined): Readonly<O> | undefined {
    return resolveControllerRef(this.o.owners.store, namespace, ref, this.o.kind);
  }

  /** The owner controlling `child`, if cached. */
  controllerOf(child: Readonly<KubernetesObject>): Readonly<O> | undefined {
    return this.resolve(child.metadata?.namespace, getControllerOf(child));
  }

  /** Owners whose selector matches `child`'s labels; see the module comment. */
  selecting(child: Readonly<KubernetesObject>): Readonly<O>[] {
    return selectingOwners(this.o.owners.store, child, (owner) => this.o.selector(owner));
  }

  /** `updatePod` / `updateHistory`; see the module comment. */
  updated(old: Readonly<KubernetesObject>, cur: Readonly<KubernetesObject>): Wake<O>[] {
    if (cur.metadata?.resourceVersion === old.metadata?.resourceVersion) return [];
    const owners = ownersOfChild<O, KubernetesObject>(
      cur,
      old,
      (ns, ref) => this.resolve(ns, ref),
      (child) => this.selecting(child),
    );
    const wakes: Wake<O>[] = [];
    if (owners.previous) wakes.push({ owner: owners.previous });
    if (owners.current) {
      wakes.push({ owner: owners.current });
      const minReady = this.o.minReadySeconds?.(owners.current) ?? 0;
      if (minReady > 0 && !isPodReady(old as Pod) && isPodReady(cur as Pod)) {
        wakes.push({ owner: owners.current, afterMs: minReady * 1000 + 1000 });
      }
    }
    for (const owner of owners.adopters) wakes.push({ owner });
    return wakes;
  }
}
