/**
 * The StatefulSet controller (`stateful_set.go`). Per sync of one StatefulSet:
 *
 * 1. Gone from the cache → nothing. A selector that does not parse → logged, not retried.
 * 2. Orphan ControllerRevisions matching the selector are adopted (after a live re-read of the set).
 * 3. Its pods are claimed: pods it controls and orphans of its namespace whose labels match and
 *    whose names are `<set>-<ordinal>`; the others it controls are released.
 * 4. `StatefulSetControl.updateStatefulSet` (see `control.ts`).
 * 5. With minReadySeconds, a set whose pods are not all available is synced again after it.
 *
 * Errors are retried with the controller's rate limiter. Pod events wake the pod's controller (and,
 * for orphans whose labels or owner changed, every set selecting them); a pod turning Ready wakes
 * its set again after minReadySeconds + 1 s.
 */
import {
  ControllerRevision,
  controllerManagedBy,
  getControllerOf,
  labelSelectorFromObject,
  PersistentVolumeClaim,
  Pod,
  StatefulSet,
  type EventHandler,
  type Informer,
  type KubernetesObject,
  type Logger,
  type Manager,
  type OwnerReference,
  type Request,
  type Result,
  type RuntimeController,
} from '../../framework/index.js';
import { ControllerHistory } from '../history/index.js';
import {
  claimChildren,
  ensureControllerUIDIndex,
  errorMessage,
  isPodReady,
  ownedAndOrphans,
  SpamFilteredRecorder,
} from '../util/index.js';
import { StatefulSetControl } from './control.js';
import { defaultConcurrentSyncs, statefulSetComponent } from './defaults.js';
import { isMemberOf } from './identity.js';
import { StatefulPodControl } from './podcontrol.js';

export interface StatefulSetControllerOptions {
  /** Workers (`--concurrent-statefulset-syncs`). Default 5. */
  concurrentSyncs?: number;
}

type SS = Readonly<StatefulSet>;

export class StatefulSetController {
  private controller!: RuntimeController;
  private readonly history: ControllerHistory;
  readonly control: StatefulSetControl;

  constructor(
    private readonly mgr: Manager,
    private readonly sets: Informer<StatefulSet>,
    private readonly pods: Informer<Pod>,
    revisions: Informer<ControllerRevision>,
    claims: Informer<PersistentVolumeClaim>,
  ) {
    const recorder = new SpamFilteredRecorder(mgr.eventRecorderFor(statefulSetComponent), {
      clock: mgr.clock,
    });
    const history = (this.history = new ControllerHistory({
      client: mgr.client,
      api: mgr.apiClient,
      informer: revisions,
    }));
    this.control = new StatefulSetControl({
      client: mgr.client,
      api: mgr.apiClient,
      clock: mgr.clock,
      history,
      podControl: new StatefulPodControl({
        client: mgr.client,
        api: mgr.apiClient,
        recorder,
        claims,
      }),
    });
  }

  register(options: StatefulSetControllerOptions): RuntimeController {
    this.controller = controllerManagedBy(this.mgr)
      .named('statefulset')
      .for(StatefulSet)
      .watches(Pod, this.podHandler())
      .withOptions({
        maxConcurrentReconciles: options.concurrentSyncs ?? defaultConcurrentSyncs,
        usePriorityQueue: false,
      })
      .complete({ reconcile: (req, ctx) => this.sync(req, ctx.log) });
    return this.controller;
  }

  /** `sync`; see the module comment. */
  async sync(req: Request, log?: Logger): Promise<Result | void> {
    const set = this.sets.store.getByName(req.namespace, req.name);
    if (!set) return;
    let selector;
    try {
      selector = labelSelectorFromObject(set.spec?.selector);
    } catch (err) {
      log?.error(
        { err: errorMessage(err) },
        `error converting StatefulSet ${req.namespace}/${req.name} selector`,
      );
      return;
    }
    await this.adoptOrphanRevisions(set, selector);
    const candidates = ownedAndOrphans(this.pods, req.namespace, set.metadata?.uid ?? '');
    const pods = await claimChildren(candidates, {
      client: this.mgr.client,
      api: this.mgr.apiClient,
      owner: set,
      ownerKind: StatefulSet,
      childKind: Pod,
      selector,
      filters: [(p) => isMemberOf(set, p as Pod)],
    });
    const status = await this.control.updateStatefulSet(set, pods);
    const minReady = set.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && (status.availableReplicas ?? 0) !== (set.spec?.replicas ?? 1)) {
      return { requeueAfter: minReady * 1000 };
    }
  }

  /** `adoptOrphanRevisions`: orphans matching the selector get the set as controller. */
  private async adoptOrphanRevisions(
    set: SS,
    selector: ReturnType<typeof labelSelectorFromObject>,
  ) {
    const orphans = this.history.list(set, selector).filter((r) => !getControllerOf(r));
    if (orphans.length === 0) return;
    try {
      await claimChildren(orphans, {
        client: this.mgr.client,
        api: this.mgr.apiClient,
        owner: set,
        ownerKind: StatefulSet,
        childKind: ControllerRevision,
        selector,
      });
    } catch (err) {
      throw new Error(`can't adopt ControllerRevisions: ${errorMessage(err)}`, { cause: err });
    }
  }

  private enqueue(set: SS, afterMs?: number): void {
    this.controller.enqueue(
      { namespace: set.metadata?.namespace ?? '', name: set.metadata?.name ?? '' },
      afterMs ? { afterMs } : {},
    );
  }

  /** `resolveControllerRef`. */
  private resolve(namespace: string | undefined, ref: OwnerReference | undefined): SS | undefined {
    if (!ref || ref.kind !== 'StatefulSet') return undefined;
    const set = this.sets.store.getByName(namespace, ref.name);
    return set && set.metadata?.uid === ref.uid ? set : undefined;
  }

  /** `getStatefulSetsForPod`: sets of the pod's namespace whose non-empty selector matches. */
  private setsForPod(pod: Readonly<KubernetesObject>): SS[] {
    const labels = pod.metadata?.labels;
    if (!labels || Object.keys(labels).length === 0) return [];
    return this.sets.store.list({ namespace: pod.metadata?.namespace }).filter((s) => {
      try {
        const sel = labelSelectorFromObject(s.spec?.selector);
        return !sel.isEmpty() && sel.matches(labels);
      } catch {
        return false;
      }
    });
  }

  /** `addPod` / `updatePod` / `deletePod`. */
  private podHandler(): EventHandler {
    const owned = (pod: Readonly<KubernetesObject>) =>
      this.resolve(pod.metadata?.namespace, getControllerOf(pod));
    return {
      create: (e) => {
        const set = owned(e.object);
        if (set) return this.enqueue(set);
        if (!getControllerOf(e.object)) for (const s of this.setsForPod(e.object)) this.enqueue(s);
      },
      update: (e) => {
        const cur = e.objectNew as Readonly<Pod>;
        const old = e.objectOld as Readonly<Pod>;
        if (cur.metadata?.resourceVersion === old.metadata?.resourceVersion) return;
        const curRef = getControllerOf(cur);
        const oldRef = getControllerOf(old);
        const refChanged = JSON.stringify(curRef ?? null) !== JSON.stringify(oldRef ?? null);
        if (refChanged && oldRef) {
          const prev = this.resolve(old.metadata?.namespace, oldRef);
          if (prev) this.enqueue(prev);
        }
        if (curRef) {
          const set = this.resolve(cur.metadata?.namespace, curRef);
          if (!set) return;
          this.enqueue(set);
          const minReady = set.spec?.minReadySeconds ?? 0;
          if (!isPodReady(old) && isPodReady(cur) && minReady > 0) {
            this.enqueue(set, minReady * 1000 + 1000);
          }
          return;
        }
        const labelsChanged =
          JSON.stringify(cur.metadata?.labels ?? {}) !== JSON.stringify(old.metadata?.labels ?? {});
        if (labelsChanged || refChanged) for (const s of this.setsForPod(cur)) this.enqueue(s);
      },
      delete: (e) => {
        const set = owned(e.object);
        if (set) this.enqueue(set);
      },
    };
  }
}

/** Creates the controller on `mgr`, with the shared pod index. */
export async function newStatefulSetController(
  mgr: Manager,
  options: StatefulSetControllerOptions = {},
): Promise<{ controller: RuntimeController; statefulSets: StatefulSetController }> {
  const informer = async <T extends KubernetesObject>(
    kind: Parameters<typeof mgr.informers.informerFor>[0],
  ) => (await mgr.informers.informerFor(kind)) as unknown as Informer<T>;
  const sets = await informer<StatefulSet>(StatefulSet);
  const pods = await informer<Pod>(Pod);
  const revisions = await informer<ControllerRevision>(ControllerRevision);
  const claims = await informer<PersistentVolumeClaim>(PersistentVolumeClaim);
  ensureControllerUIDIndex(pods as unknown as Informer<KubernetesObject>);
  const statefulSets = new StatefulSetController(mgr, sets, pods, revisions, claims);
  return { controller: statefulSets.register(options), statefulSets };
}
