/**
 * The Deployment controller (`deployment_controller.go`). Per sync of one Deployment, in order:
 *
 * 1. Gone from the cache → nothing. An empty selector (`{}`) → Warning `SelectingAll`, only
 *    observedGeneration is written.
 * 2. Its ReplicaSets are claimed (adopt by selector, release, via the controllerRef manager) and
 *    its pods grouped by ReplicaSet.
 * 3. Being deleted → status only. Paused/resumed → the Progressing condition says so.
 * 4. Paused → proportional scaling and cleanup only (`sync`). The legacy rollback annotation →
 *    rollback. A scaling event (an active ReplicaSet sized for other replicas) → `sync`.
 * 5. Otherwise the strategy: RollingUpdate or Recreate.
 *
 * Errors are retried with the controller rate limiter (5 ms → 1000 s per key, 10 qps overall) up to
 * 15 times, then dropped until the next event, as upstream; NamespaceTerminating errors are dropped
 * at once.
 */
import {
  controllerManagedBy,
  Deployment,
  labelSelectorFromObject,
  Pod,
  ReplicaSet,
  requestKey,
  type EventHandler,
  type Informer,
  type KubernetesObject,
  type Logger,
  type Manager,
  type OwnerReference,
  type Request,
  type RuntimeController,
  getControllerOf,
} from '../../framework/index.js';
import {
  claimChildren,
  ensureControllerUIDIndex,
  errorMessage,
  isNamespaceTerminating,
  ownedAndOrphans,
  ownersOfChild,
  resolveControllerRef,
  selectingOwners,
  SpamFilteredRecorder,
} from '../util/index.js';
import { defaultConcurrentSyncs, deploymentComponent, maxRetries } from './defaults.js';
import { rolloutRecreate } from './recreate.js';
import { rollback } from './rollback.js';
import { rolloutRolling } from './rolling.js';
import { DeploymentSyncer, rollbackTo } from './sync.js';

export interface DeploymentControllerOptions {
  /** Workers. Default 5. */
  concurrentSyncs?: number;
}

type RS = Readonly<ReplicaSet>;

export class DeploymentController {
  private controller!: RuntimeController;
  private readonly syncer: DeploymentSyncer;

  constructor(
    private readonly mgr: Manager,
    private readonly dInformer: Informer<Deployment>,
    private readonly rsInformer: Informer<ReplicaSet>,
    private readonly podInformer: Informer<Pod>,
  ) {
    this.syncer = new DeploymentSyncer({
      client: mgr.client,
      clock: mgr.clock,
      recorder: new SpamFilteredRecorder(mgr.eventRecorderFor(deploymentComponent), {
        clock: mgr.clock,
      }),
      rsInformer,
      requeue: (d, ms) => {
        const req = { namespace: d.metadata?.namespace ?? '', name: d.metadata?.name ?? '' };
        if (ms === undefined) this.controller.queue.addRateLimited(requestKey(req));
        else this.controller.enqueue(req, { afterMs: ms });
      },
    });
  }

  register(options: DeploymentControllerOptions): RuntimeController {
    this.controller = controllerManagedBy(this.mgr)
      .named('deployment')
      .for(Deployment)
      .watches(ReplicaSet, this.replicaSetHandler())
      .watches(Pod, this.podHandler())
      .withOptions({
        maxConcurrentReconciles: options.concurrentSyncs ?? defaultConcurrentSyncs,
        usePriorityQueue: false,
      })
      .complete({ reconcile: (req, ctx) => this.reconcile(req, ctx.log) });
    return this.controller;
  }

  /** `handleErr` around `syncDeployment`. */
  private async reconcile(req: Request, log: Logger): Promise<void> {
    try {
      await this.syncDeployment(req);
    } catch (err) {
      if (isNamespaceTerminating(err)) return;
      if (this.controller.queue.numRequeues(requestKey(req)) < maxRetries) throw err;
      log.warn({ err: errorMessage(err) }, 'Dropping deployment out of the queue');
    }
  }

  /** `syncDeployment`; see the module comment. */
  async syncDeployment(req: Request): Promise<void> {
    const cached = this.dInformer.store.getByName(req.namespace, req.name);
    if (!cached) return;
    const d = structuredClone(cached) as Deployment;
    const s = this.syncer;
    const sel = d.spec?.selector as Record<string, unknown> | undefined;
    if (sel && Object.keys(sel).length === 0) {
      void s.o.recorder.event(
        d,
        'Warning',
        'SelectingAll',
        'This deployment is selecting all pods. A non-empty selector is required.',
      );
      if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
        (d.status ??= {}).observedGeneration = d.metadata?.generation;
        await s.updateStatus(d).catch(() => undefined);
      }
      return;
    }
    const rsList = await this.replicaSetsForDeployment(d);
    const podMap = this.podMapForDeployment(d, rsList);
    if (d.metadata?.deletionTimestamp) return s.syncStatusOnly(d, rsList);
    await s.checkPausedConditions(d);
    if (d.spec?.paused) return s.sync(d, rsList);
    if (rollbackTo(d) !== undefined) return rollback(s, d, rsList);
    if (await s.isScalingEvent(d, rsList)) return s.sync(d, rsList);
    switch (d.spec?.strategy?.type) {
      case 'Recreate':
        return rolloutRecreate(s, d, rsList, podMap);
      case 'RollingUpdate':
        return rolloutRolling(s, d, rsList);
    }
    throw new Error(`unexpected deployment strategy type: ${d.spec?.strategy?.type}`);
  }

  /** `getReplicaSetsForDeployment`: claims (adopts, releases) by the Deployment's selector. */
  private async replicaSetsForDeployment(d: Deployment): Promise<RS[]> {
    let selector;
    try {
      selector = labelSelectorFromObject(d.spec?.selector);
    } catch (err) {
      throw new Error(
        `deployment ${d.metadata?.namespace}/${d.metadata?.name} has invalid label selector: ${errorMessage(err)}`,
      );
    }
    const namespace = d.metadata?.namespace ?? '';
    const candidates = ownedAndOrphans(this.rsInformer, namespace, d.metadata?.uid ?? '').filter(
      (rs) => rs.metadata?.namespace === namespace,
    );
    return claimChildren(candidates, {
      client: this.mgr.client,
      api: this.mgr.apiClient,
      owner: d,
      ownerKind: Deployment,
      childKind: ReplicaSet,
      selector,
    });
  }

  /** `getPodMapForDeployment`: the Deployment's pods by ReplicaSet UID (inactive ones too). */
  private podMapForDeployment(
    d: Readonly<Deployment>,
    rsList: readonly RS[],
  ): Map<string, Readonly<Pod>[]> {
    const map = new Map<string, Readonly<Pod>[]>(rsList.map((rs) => [rs.metadata?.uid ?? '', []]));
    const selector = labelSelectorFromObject(d.spec?.selector);
    for (const pod of this.podInformer.store.list({
      namespace: d.metadata?.namespace,
      labelSelector: selector,
    })) {
      const ref = pod.metadata?.ownerReferences?.find((r) => r.controller);
      if (ref && map.has(ref.uid)) map.get(ref.uid)!.push(pod);
    }
    return map;
  }

  private resolve(namespace: string, ref: OwnerReference | undefined) {
    return resolveControllerRef(this.dInformer.store, namespace, ref, 'Deployment');
  }

  /** `GetDeploymentsForReplicaSet`: Deployments whose selector matches an orphan ReplicaSet. */
  private selecting(rs: RS): Readonly<Deployment>[] {
    return selectingOwners(this.dInformer.store, rs, (d) =>
      labelSelectorFromObject(d.spec?.selector),
    );
  }

  private enqueue(d: Readonly<KubernetesObject>): void {
    this.controller.enqueue({
      namespace: d.metadata?.namespace ?? '',
      name: d.metadata?.name ?? '',
    });
  }

  /** `addReplicaSet` / `updateReplicaSet` / `deleteReplicaSet`. */
  private replicaSetHandler(): EventHandler {
    const deleted = (rs: RS) => {
      const d = this.resolve(rs.metadata?.namespace ?? '', getControllerOf(rs));
      if (d) this.enqueue(d);
    };
    const changed = (rs: RS, old?: RS) => {
      const o = ownersOfChild(rs, old, this.resolve.bind(this), (c) => this.selecting(c));
      for (const d of [o.previous, o.current, ...o.adopters]) if (d) this.enqueue(d);
    };
    return {
      create: (e) => {
        const rs = e.object as RS;
        if (rs.metadata?.deletionTimestamp) return deleted(rs);
        changed(rs);
      },
      update: (e) => {
        const cur = e.objectNew as RS;
        const old = e.objectOld as RS;
        if (cur.metadata?.resourceVersion !== old.metadata?.resourceVersion) changed(cur, old);
      },
      delete: (e) => deleted(e.object as RS),
    };
  }

  /** `deletePod`: a Recreate Deployment is synced once its last pod is gone. */
  private podHandler(): EventHandler {
    return {
      delete: (e) => {
        const pod = e.object as Readonly<Pod>;
        const ref = pod.metadata?.ownerReferences?.find((r) => r.controller);
        if (!ref || ref.kind !== 'ReplicaSet') return;
        const rs = this.rsInformer.store.getByName(pod.metadata?.namespace ?? '', ref.name);
        if (!rs || rs.metadata?.uid !== ref.uid) return;
        const d = this.resolve(
          rs.metadata?.namespace ?? '',
          rs.metadata?.ownerReferences?.find((r) => r.controller),
        );
        if (!d || d.spec?.strategy?.type !== 'Recreate') return;
        const owned = this.rsInformer.store
          .list({ namespace: d.metadata?.namespace })
          .filter((r) =>
            r.metadata?.ownerReferences?.some((o) => o.controller && o.uid === d.metadata?.uid),
          );
        if ([...this.podMapForDeployment(d, owned).values()].every((pods) => pods.length === 0))
          this.enqueue(d);
      },
    };
  }
}

/** Creates the Deployment controller on `mgr` (with the shared controller-UID indexes). */
export async function newDeploymentController(
  mgr: Manager,
  options: DeploymentControllerOptions = {},
) {
  const dInformer = (await mgr.informers.informerFor(
    Deployment,
  )) as unknown as Informer<Deployment>;
  const rsInformer = (await mgr.informers.informerFor(
    ReplicaSet,
  )) as unknown as Informer<ReplicaSet>;
  const podInformer = (await mgr.informers.informerFor(Pod)) as unknown as Informer<Pod>;
  ensureControllerUIDIndex(rsInformer as unknown as Informer<KubernetesObject>);
  const deployments = new DeploymentController(mgr, dInformer, rsInformer, podInformer);
  return { controller: deployments.register(options), deployments };
}
