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
  type Pod,
  type RuntimeController,
} from '../../framework/index.js';
import {
  OwnerRouter,
  podKey,
  semanticEqual,
  type UIDTrackingExpectations,
  type Wake,
} from '../util/index.js';
import { nodeShouldRunDaemonPod, type DS } from './placement.js';

type P = Readonly<Pod>;

export interface DaemonSetHandlersOptions {
  daemonSets: Informer<DaemonSet>;
  expectations: UIDTrackingExpectations;
  /** The runtime controller (built after the handlers). */
  controller: () => RuntimeController;
}

export class DaemonSetHandlers {
  private readonly router: OwnerRouter<DaemonSet>;

  constructor(private readonly o: DaemonSetHandlersOptions) {
    this.router = new OwnerRouter<DaemonSet>({
      kind: 'DaemonSet',
      owners: o.daemonSets,
      selector: (ds) => labelSelectorFromObject(ds.spec?.selector),
      minReadySeconds: (ds) => ds.spec?.minReadySeconds ?? 0,
    });
  }

  private enqueue(ds: DS, afterMs?: number): void {
    this.o
      .controller()
      .enqueue(
        { namespace: ds.metadata?.namespace ?? '', name: ds.metadata?.name ?? '' },
        afterMs ? { afterMs } : {},
      );
  }

  private wake(wakes: ReadonlyArray<Wake<DaemonSet>>): void {
    for (const w of wakes) this.enqueue(w.owner, w.afterMs);
  }

  private dsKey(ds: Readonly<KubernetesObject>): string {
    return `${ds.metadata?.namespace}/${ds.metadata?.name}`;
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
      const ds = this.router.controllerOf(pod);
      if (!ds) return;
      this.o.expectations.deletionObserved(this.dsKey(ds), podKey(pod));
      this.enqueue(ds);
    };
    return {
      create: (e) => {
        const pod = e.object as P;
        if (pod.metadata?.deletionTimestamp) return deleted(pod);
        if (getControllerOf(pod)) {
          const ds = this.router.controllerOf(pod);
          if (!ds) return;
          this.o.expectations.creationObserved(this.dsKey(ds));
          return this.enqueue(ds);
        }
        for (const ds of this.router.selecting(pod)) this.enqueue(ds);
      },
      update: (e) => {
        const cur = e.objectNew as P;
        if (cur.metadata?.resourceVersion === e.objectOld.metadata?.resourceVersion) return;
        if (cur.metadata?.deletionTimestamp) return deleted(cur);
        this.wake(this.router.updated(e.objectOld, cur));
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
    const owned = (obj: Readonly<KubernetesObject>) => {
      const ds = this.router.controllerOf(obj);
      if (ds) this.enqueue(ds);
    };
    return {
      create: (e) => {
        if (getControllerOf(e.object)) return owned(e.object);
        for (const ds of this.router.selecting(e.object)) this.enqueue(ds);
      },
      update: (e) => this.wake(this.router.updated(e.objectOld, e.objectNew)),
      delete: (e) => owned(e.object),
    };
  }
}
