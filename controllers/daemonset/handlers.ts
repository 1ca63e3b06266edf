/**
 * What wakes a DaemonSet (`daemon_controller.go` event handlers):
 *
 * - pods: a pod's controlling DaemonSet (creations and deletions, tracked by UID, count against
 *   its expectations; a pod turning Ready wakes it again after minReadySeconds + 1 s); orphans
 *   wake every DaemonSet selecting them when created or when their labels or owner change;
 * - nodes: a new node wakes the DaemonSets that should run on it; a label or taint change wakes
 *   those whose placement on it changes; a deleted node wakes all (a kuberx addition: upstream
 *   has no node deletion handler and relies on the pod garbage collector's deletions);
 * - ControllerRevisions: their controlling DaemonSet, or the DaemonSets selecting an orphan;
 * - DaemonSets: a deleted or replaced one forgets its expectations.
 */
import {
  getControllerOf,
  labelSelectorFromObject,
  type DaemonSet,
  type EventHandler,
  type Informer,
  type KubernetesObject,
  type Node,
  type OwnerReference,
  type Pod,
  type RuntimeController,
} from '../../framework/index.js';
import { isPodReady, podKey, semanticEqual, type UIDTrackingExpectations } from '../util/index.js';
import { nodeShouldRunDaemonPod, type DS } from './placement.js';

type P = Readonly<Pod>;

export interface DaemonSetHandlersOptions {
  daemonSets: Informer<DaemonSet>;
  expectations: UIDTrackingExpectations;
  /** The runtime controller (built after the handlers). */
  controller: () => RuntimeController;
}

export class DaemonSetHandlers {
  constructor(private readonly o: DaemonSetHandlersOptions) {}

  enqueue(ds: DS, afterMs?: number): void {
    this.o
      .controller()
      .enqueue(
        { namespace: ds.metadata?.namespace ?? '', name: ds.metadata?.name ?? '' },
        afterMs ? { afterMs } : {},
      );
  }

  dsKey(ds: Readonly<KubernetesObject>): string {
    return `${ds.metadata?.namespace}/${ds.metadata?.name}`;
  }

  /** `resolveControllerRef`. */
  resolve(namespace: string | undefined, ref: OwnerReference | undefined): DS | undefined {
    if (!ref || ref.kind !== 'DaemonSet') return undefined;
    const ds = this.o.daemonSets.store.getByName(namespace, ref.name);
    return ds && ds.metadata?.uid === ref.uid ? ds : undefined;
  }

  /** DaemonSets of the object's namespace whose non-empty selector matches its labels. */
  selecting(obj: Readonly<KubernetesObject>): DS[] {
    const labels = obj.metadata?.labels;
    if (!labels || Object.keys(labels).length === 0) return [];
    return this.o.daemonSets.store.list({ namespace: obj.metadata?.namespace }).filter((ds) => {
      try {
        const sel = labelSelectorFromObject(ds.spec?.selector);
        return !sel.isEmpty() && sel.matches(labels);
      } catch {
        return false;
      }
    });
  }

  /** A replaced or deleted DaemonSet forgets its expectations. */
  ownerHandler(): EventHandler {
    return {
      update: (e) => {
        if (e.objectOld.metadata?.uid !== e.objectNew.metadata?.uid) {
          this.o.expectations.delete(this.dsKey(e.objectOld));
        }
      },
      delete: (e) => this.o.expectations.delete(this.dsKey(e.object)),
    };
  }

  /** `addPod` / `updatePod` / `deletePod`. */
  podHandler(): EventHandler {
    const deleted = (pod: P) => {
      const ds = this.resolve(pod.metadata?.namespace, getControllerOf(pod));
      if (!ds) return;
      this.o.expectations.deletionObserved(this.dsKey(ds), podKey(pod));
      this.enqueue(ds);
    };
    return {
      create: (e) => {
        const pod = e.object as P;
        if (pod.metadata?.deletionTimestamp) return deleted(pod);
        const ref = getControllerOf(pod);
        if (ref) {
          const ds = this.resolve(pod.metadata?.namespace, ref);
          if (!ds) return;
          this.o.expectations.creationObserved(this.dsKey(ds));
          return this.enqueue(ds);
        }
        for (const ds of this.selecting(pod)) this.enqueue(ds);
      },
      update: (e) => {
        const cur = e.objectNew as P;
        const old = e.objectOld as P;
        if (cur.metadata?.resourceVersion === old.metadata?.resourceVersion) return;
        if (cur.metadata?.deletionTimestamp) return deleted(cur);
        const curRef = getControllerOf(cur);
        const oldRef = getControllerOf(old);
        const refChanged = JSON.stringify(curRef ?? null) !== JSON.stringify(oldRef ?? null);
        if (refChanged && oldRef) {
          const prev = this.resolve(old.metadata?.namespace, oldRef);
          if (prev) this.enqueue(prev);
        }
        if (curRef) {
          const ds = this.resolve(cur.metadata?.namespace, curRef);
          if (!ds) return;
          this.enqueue(ds);
          const minReady = ds.spec?.minReadySeconds ?? 0;
          if (!isPodReady(old) && isPodReady(cur) && minReady > 0) {
            this.enqueue(ds, minReady * 1000 + 1000);
          }
          return;
        }
        const labelsChanged = !semanticEqual(cur.metadata?.labels, old.metadata?.labels);
        if (labelsChanged || refChanged) for (const ds of this.selecting(cur)) this.enqueue(ds);
      },
      delete: (e) => deleted(e.object as P),
    };
  }

  /** `addNode` / `updateNode`; a deleted node wakes every DaemonSet (kuberx addition). */
  nodeHandler(): EventHandler {
    return {
      create: (e) => {
        for (const ds of this.o.daemonSets.store.list()) {
          if (nodeShouldRunDaemonPod(e.object as Node, ds).shouldRun) this.enqueue(ds);
        }
      },
      update: (e) => {
        const old = e.objectOld as Node;
        const cur = e.objectNew as Node;
        if (
          semanticEqual(old.metadata?.labels, cur.metadata?.labels) &&
          semanticEqual(old.spec?.taints, cur.spec?.taints)
        ) {
          return;
        }
        for (const ds of this.o.daemonSets.store.list()) {
          const before = nodeShouldRunDaemonPod(old, ds);
          const after = nodeShouldRunDaemonPod(cur, ds);
          if (
            before.shouldRun !== after.shouldRun ||
            before.shouldContinueRunning !== after.shouldContinueRunning
          ) {
            this.enqueue(ds);
          }
        }
      },
      delete: () => {
        for (const ds of this.o.daemonSets.store.list()) this.enqueue(ds);
      },
    };
  }

  /** `addHistory` / `updateHistory` / `deleteHistory`. */
  historyHandler(): EventHandler {
    const wake = (obj: Readonly<KubernetesObject>, orphansToo: boolean) => {
      const ref = getControllerOf(obj);
      if (ref) {
        const ds = this.resolve(obj.metadata?.namespace, ref);
        if (ds) this.enqueue(ds);
        return;
      }
      if (orphansToo) for (const ds of this.selecting(obj)) this.enqueue(ds);
    };
    return {
      create: (e) => wake(e.object, true),
      update: (e) => {
        const oldRef = getControllerOf(e.objectOld);
        const curRef = getControllerOf(e.objectNew);
        if (JSON.stringify(oldRef ?? null) !== JSON.stringify(curRef ?? null) && oldRef) {
          wake(e.objectOld, false);
        }
        const labelsChanged = !semanticEqual(
          e.objectOld.metadata?.labels,
          e.objectNew.metadata?.labels,
        );
        wake(e.objectNew, labelsChanged || JSON.stringify(oldRef) !== JSON.stringify(curRef));
      },
      delete: (e) => wake(e.object, false),
    };
  }
}
