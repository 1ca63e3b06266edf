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
  type Request,
  type Result,
  type RuntimeController,
} from '../../framework/index.js';
import { ControllerHistory } from '../history/index.js';
import {
  claimChildren,
  ensureControllerUIDIndex,
  errorMessage,
  OwnerRouter,
  ownedAndOrphans,
  sharedInformer,
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
  private readonly router: OwnerRouter<StatefulSet>;
  readonly control: StatefulSetControl;

  constructor(
    private readonly mgr: Manager,
    private readonly sets: Informer<StatefulSet>,
    private readonly pods: Informer<Pod>,
    revisions: Informer<ControllerRevision>,
    claims: Informer<PersistentVolumeClaim>,
  ) {
    this.router = new OwnerRouter<StatefulSet>({
      kind: 'StatefulSet',
      owners: sets,
      selector: (set) => labelSelectorFromObject(set.spec?.selector),
      minReadySeconds: (set) => set.spec?.minReadySeconds ?? 0,
    });
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

  /** `addPod` / `updatePod` / `deletePod`. */
  private podHandler(): EventHandler {
    return {
      create: (e) => {
        if (getControllerOf(e.object)) {
          const set = this.router.controllerOf(e.object);
          if (set) this.enqueue(set);
          return;
        }
        for (const s of this.router.selecting(e.object)) this.enqueue(s);
      },
      update: (e) => {
        for (const w of this.router.updated(e.objectOld, e.objectNew))
          this.enqueue(w.owner, w.afterMs);
      },
      delete: (e) => {
        const set = this.router.controllerOf(e.object);
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
  const sets = await sharedInformer<StatefulSet>(mgr, StatefulSet);
  const pods = await sharedInformer<Pod>(mgr, Pod);
  const revisions = await sharedInformer<ControllerRevision>(mgr, ControllerRevision);
  const claims = await sharedInformer<PersistentVolumeClaim>(mgr, PersistentVolumeClaim);
  ensureControllerUIDIndex(pods as unknown as Informer<KubernetesObject>);
  const statefulSets = new StatefulSetController(mgr, sets, pods, revisions, claims);
  return { controller: statefulSets.register(options), statefulSets };
}
