/**
 * Routing a child's events to its owner by controller reference, as upstream's `addPod`,
 * `updatePod`, `deletePod` (and the DaemonSet controller's ControllerRevision handlers) do:
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
import { semanticEqual } from './equality.js';
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
    if (!ref || ref.kind !== this.o.kind) return undefined;
    const owner = this.o.owners.store.getByName(namespace, ref.name);
    return owner && owner.metadata?.uid === ref.uid ? owner : undefined;
  }

  /** The owner controlling `child`, if cached. */
  controllerOf(child: Readonly<KubernetesObject>): Readonly<O> | undefined {
    return this.resolve(child.metadata?.namespace, getControllerOf(child));
  }

  /** Owners whose selector matches `child`'s labels; see the module comment. */
  selecting(child: Readonly<KubernetesObject>): Readonly<O>[] {
    const labels = child.metadata?.labels;
    if (!labels || Object.keys(labels).length === 0) return [];
    return this.o.owners.store.list({ namespace: child.metadata?.namespace }).filter((owner) => {
      try {
        const s = this.o.selector(owner);
        return !s.isEmpty() && s.matches(labels);
      } catch {
        return false;
      }
    });
  }

  /** `updatePod` / `updateHistory`; see the module comment. */
  updated(old: Readonly<KubernetesObject>, cur: Readonly<KubernetesObject>): Wake<O>[] {
    if (cur.metadata?.resourceVersion === old.metadata?.resourceVersion) return [];
    const wakes: Wake<O>[] = [];
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = !semanticEqual(curRef ?? null, oldRef ?? null);
    if (refChanged && oldRef) {
      const prev = this.resolve(old.metadata?.namespace, oldRef);
      if (prev) wakes.push({ owner: prev });
    }
    if (curRef) {
      const owner = this.resolve(cur.metadata?.namespace, curRef);
      if (!owner) return wakes;
      wakes.push({ owner });
      const minReady = this.o.minReadySeconds?.(owner) ?? 0;
      if (minReady > 0 && !isPodReady(old as Pod) && isPodReady(cur as Pod)) {
        wakes.push({ owner, afterMs: minReady * 1000 + 1000 });
      }
      return wakes;
    }
    const labelsChanged = !semanticEqual(cur.metadata?.labels, old.metadata?.labels);
    if (labelsChanged || refChanged) for (const owner of this.selecting(cur)) wakes.push({ owner });
    return wakes;
  }
}
