/**
 * The ReplicaSet controller (`pkg/controller/replicaset`), also run for ReplicationControllers.
 *
 * Per sync of one ReplicaSet:
 * 1. Expectations are checked first: while creations or deletions it asked for have not been
 *    observed by the pod informer, it does not create or delete again (status is still written).
 * 2. Its pods are claimed: children it controls and orphans of its namespace (the controller-UID
 *    index), active ones only; matching orphans are adopted, non-matching children released.
 * 3. `manageReplicas` creates the missing pods in slow-start batches (1, 2, 4, … at most 500 per
 *    sync; a failed batch stops the rest) or deletes the surplus, most deletable first (see
 *    `util/ranking.ts`), unless the ReplicaSet is being deleted.
 * 4. Status is computed and written when it changed; an error of step 3 becomes the
 *    ReplicaFailure condition and is returned, so the sync is retried with backoff.
 * 5. With minReadySeconds, a ReplicaSet whose pods are ready but not yet available is synced
 *    again after minReadySeconds.
 *
 * Pod events update the expectations and wake the owner; orphan pods wake every ReplicaSet whose
 * selector matches them.
 */
import {
  controllerManagedBy,
  isNotFound,
  labelSelectorFromObject,
  Pod,
  requestKey,
  type ApiClient,
  type Client,
  type Clock,
  type EventHandler,
  type Informer,
  type KubernetesObject,
  type Logger,
  type Manager,
  type OwnerReference,
  type Request,
  type Result,
  type RuntimeController,
  getControllerOf,
} from '../../framework/index.js';
import {
  claimChildren,
  compareForDeletion,
  ensureControllerUIDIndex,
  filterActivePods,
  isNamespaceTerminating,
  isPodActive,
  isPodReady,
  newControllerRef,
  ownedAndOrphans,
  PodControl,
  podKey,
  rankByRelatedPodsOnSameNode,
  slowStartBatch,
  slowStartInitialBatchSize,
  SpamFilteredRecorder,
  UIDTrackingExpectations,
  controllerUIDIndex,
  isPodTerminating,
  isPodAvailable,
  podReadyTime,
  ownersOfChild,
  resolveControllerRef,
  semanticEqual,
  selectingOwners,
} from '../util/index.js';
import { defaultBurstReplicas, defaultConcurrentSyncs } from './defaults.js';
import type { ReplicaKind, ReplicaObject } from './kinds.js';
import { calculateStatus, updateReplicaStatus } from './status.js';

export interface ReplicaSetControllerOptions {
  /** Workers. Default 5. */
  concurrentSyncs?: number;
  /** Most creations or deletions per sync. Default 500. */
  burstReplicas?: number;
}

type Store<T extends KubernetesObject> = Informer<T>;

export class ReplicaSetController {
  readonly expectations: UIDTrackingExpectations;
  private readonly client: Client;
  private readonly api: ApiClient;
  private readonly clock: Clock;
  private readonly podControl: PodControl;
  private readonly burstReplicas: number;
  private controller!: RuntimeController;

  constructor(
    private readonly mgr: Manager,
    private readonly kind: ReplicaKind,
    private readonly rsInformer: Store<ReplicaObject>,
    private readonly podInformer: Store<Pod>,
    options: ReplicaSetControllerOptions,
  ) {
    this.client = mgr.client;
    this.api = mgr.apiClient;
    this.clock = mgr.clock;
    this.expectations = new UIDTrackingExpectations({ clock: this.clock });
    const recorder = new SpamFilteredRecorder(mgr.eventRecorderFor(kind.component), {
      clock: this.clock,
    });
    this.podControl = new PodControl(this.client, recorder);
    this.burstReplicas = options.burstReplicas ?? defaultBurstReplicas;
  }

  /** Builds the runtime controller and registers it with the manager. */
  register(options: ReplicaSetControllerOptions): RuntimeController {
    this.controller = controllerManagedBy(this.mgr)
      .named(this.kind.name)
      .for(this.kind.kind)
      .watches(this.kind.kind, this.ownerHandler())
      .watches(Pod, this.podHandler())
      .withOptions({
        maxConcurrentReconciles: options.concurrentSyncs ?? defaultConcurrentSyncs,
        usePriorityQueue: false,
      })
      .complete({ reconcile: (req, ctx) => this.sync(req, ctx.log) });
    return this.controller;
  }

  /** `syncReplicaSet`; see the module comment. */
  async sync(req: Request, log?: Logger): Promise<Result | void> {
    const key = requestKey(req);
    const rs = this.rsInformer.store.getByName(req.namespace, req.name);
    if (!rs) {
      this.expectations.delete(key);
      return;
    }
    const needsSync = this.expectations.satisfied(key);
    let selector;
    try {
      selector = this.kind.selector(rs);
    } catch (err) {
      log?.error(
        { err: String(err) },
        `error converting pod selector to selector for ${this.kind.name} ${key}`,
      );
      return;
    }
    const uid = rs.metadata?.uid ?? '';
    const candidates = ownedAndOrphans(this.podInformer, req.namespace, uid).filter(
      (p) => p.metadata?.namespace === req.namespace,
    );
    const terminating = candidates.filter(
      (p) =>
        p.metadata?.ownerReferences?.some((r) => r.controller && r.uid === uid) &&
        isPodTerminating(p),
    ).length;
    const pods = await claimChildren(filterActivePods(candidates), {
      client: this.client,
      api: this.api,
      owner: rs,
      ownerKind: this.kind.kind,
      childKind: Pod,
      selector,
    });
    let manageError: unknown;
    if (needsSync && !rs.metadata?.deletionTimestamp) {
      try {
        await this.manageReplicas(pods, rs, key);
      } catch (err) {
        manageError = err;
      }
    }
    const status = calculateStatus({
      rs,
      pods,
      terminating,
      manageError,
      templateSelector: labelSelectorFromObject({
        matchLabels: rs.spec?.template?.metadata?.labels ?? {},
      }),
      nowMs: this.clock.now(),
    });
    const updated = await updateReplicaStatus(this.client, this.api, this.kind.kind, rs, status);
    if (manageError !== undefined) throw manageError;
    const minReady = updated.spec?.minReadySeconds ?? 0;
    const replicas = updated.spec?.replicas ?? 0;
    if (
      minReady > 0 &&
      (updated.status?.readyReplicas ?? 0) === replicas &&
      (updated.status?.availableReplicas ?? 0) !== replicas
    ) {
      return { requeueAfter: this.untilNextAvailable(pods, minReady) };
    }
  }

  /**
   * When to look again for pods turning available: upstream requeues after minReadySeconds; kuberx
   * requeues 1 s (upstream's clock-skew margin) after the first ready pod passes minReadySeconds,
   * which is never later and does not miss the moment when the sync ran right as pods turned ready.
   */
  private untilNextAvailable(pods: readonly Readonly<Pod>[], minReadySeconds: number): number {
    const now = this.clock.now();
    let next = minReadySeconds * 1000;
    for (const pod of pods) {
      const since = podReadyTime(pod);
      if (since === undefined || isPodAvailable(pod, minReadySeconds, now)) continue;
      next = Math.min(next, Math.max(since + minReadySeconds * 1000 - now, 0) + 1000);
    }
    return next;
  }

  /** `manageReplicas`: creates or deletes pods towards spec.replicas. */
  private async manageReplicas(
    pods: readonly Readonly<Pod>[],
    rs: Readonly<ReplicaObject>,
    key: string,
  ): Promise<void> {
    const diff = pods.length - (rs.spec?.replicas ?? 0);
    if (diff < 0) {
      const count = Math.min(-diff, this.burstReplicas);
      this.expectations.expectCreations(key, count);
      const template = rs.spec?.template ?? {};
      const ref = newControllerRef(rs, this.kind.kind) as OwnerReference;
      const { successes, error } = await slowStartBatch(
        count,
        slowStartInitialBatchSize,
        async () => {
          try {
            await this.podControl.createPod(template, rs, ref);
          } catch (err) {
            if (isNamespaceTerminating(err)) return;
            throw err;
          }
        },
      );
      for (let i = successes; i < count; i++) this.expectations.creationObserved(key);
      if (error !== undefined) throw error;
      return;
    }
    if (diff > 0) {
      const count = Math.min(diff, this.burstReplicas);
      const toDelete = this.podsToDelete(pods, this.indirectlyRelatedPods(rs), count);
      this.expectations.expectDeletions(key, toDelete.map(podKey));
      const errors: unknown[] = [];
      await Promise.all(
        toDelete.map(async (pod) => {
          try {
            await this.podControl.deletePod(
              rs.metadata?.namespace ?? '',
              pod.metadata?.name ?? '',
              rs,
            );
          } catch (err) {
            this.expectations.deletionObserved(key, podKey(pod));
            if (!isNotFound(err)) errors.push(err);
          }
        }),
      );
      if (errors.length > 0) throw errors[0];
    }
  }

  /** `getPodsToDelete`: all of them, or the `count` first in deletion order. */
  private podsToDelete(
    pods: readonly Readonly<Pod>[],
    related: readonly Readonly<Pod>[],
    count: number,
  ): Readonly<Pod>[] {
    if (count >= pods.length) return pods.slice(0, count);
    const now = this.clock.now();
    return rankByRelatedPodsOnSameNode(pods, related, isPodActive)
      .sort((a, b) => compareForDeletion(a, b, now))
      .slice(0, count)
      .map((r) => r.pod);
  }

  /** `getIndirectlyRelatedPods`: pods of every ReplicaSet with the same controller as `rs`. */
  private indirectlyRelatedPods(rs: Readonly<ReplicaObject>): Readonly<Pod>[] {
    const ref = rs.metadata?.ownerReferences?.find((r) => r.controller);
    if (!ref) return [];
    const seen = new Set<string>();
    const out: Readonly<Pod>[] = [];
    for (const related of this.rsInformer.store.byIndex(controllerUIDIndex, ref.uid)) {
      let selector;
      try {
        selector = this.kind.selector(related);
      } catch {
        continue;
      }
      for (const pod of this.podInformer.store.list({
        namespace: related.metadata?.namespace,
        labelSelector: selector,
      })) {
        const uid = pod.metadata?.uid ?? '';
        if (seen.has(uid)) continue;
        seen.add(uid);
        out.push(pod);
      }
    }
    return out;
  }

  private resolve(namespace: string, ref: OwnerReference | undefined) {
    return resolveControllerRef(this.rsInformer.store, namespace, ref, this.kind.kind.kind);
  }

  /** ReplicaSets of the pod's namespace that select it (`GetPodReplicaSets`). */
  private selecting(pod: Readonly<Pod>): Readonly<ReplicaObject>[] {
    return selectingOwners(this.rsInformer.store, pod, (rs) => this.kind.selector(rs));
  }

  private enqueue(obj: Readonly<KubernetesObject>): void {
    this.controller.enqueue({
      namespace: obj.metadata?.namespace ?? '',
      name: obj.metadata?.name ?? '',
    });
  }

  private ownerKey(obj: Readonly<KubernetesObject>): string {
    return `${obj.metadata?.namespace}/${obj.metadata?.name}`;
  }

  /** Owner events besides the default enqueue: forget expectations of deleted or replaced owners. */
  private ownerHandler(): EventHandler {
    return {
      update: (e) => {
        if (e.objectOld.metadata?.uid !== e.objectNew.metadata?.uid) {
          this.expectations.delete(this.ownerKey(e.objectOld));
        }
      },
      delete: (e) => this.expectations.delete(this.ownerKey(e.object)),
    };
  }

  /** `addPod` / `updatePod` / `deletePod`. */
  private podHandler(): EventHandler {
    const deleted = (pod: Readonly<Pod>): void => {
      const rs = this.resolve(pod.metadata?.namespace ?? '', getControllerOf(pod));
      if (!rs) return;
      this.expectations.deletionObserved(this.ownerKey(rs), podKey(pod));
      this.enqueue(rs);
    };
    const owners = (cur: Readonly<Pod>, old?: Readonly<Pod>) =>
      ownersOfChild(cur, old, this.resolve.bind(this), (c) => this.selecting(c));
    return {
      create: (e) => {
        const pod = e.object as Readonly<Pod>;
        if (pod.metadata?.deletionTimestamp) return deleted(pod);
        const { current, adopters } = owners(pod);
        if (current) this.expectations.creationObserved(this.ownerKey(current));
        for (const rs of [current, ...adopters]) if (rs) this.enqueue(rs);
      },
      update: (e) => {
        const cur = e.objectNew as Readonly<Pod>;
        const old = e.objectOld as Readonly<Pod>;
        if (cur.metadata?.resourceVersion === old.metadata?.resourceVersion) return;
        if (cur.metadata?.deletionTimestamp) {
          deleted(cur);
          if (!semanticEqual(cur.metadata?.labels, old.metadata?.labels)) deleted(old);
          return;
        }
        const { previous, current, adopters } = owners(cur, old);
        for (const rs of [previous, current, ...adopters]) if (rs) this.enqueue(rs);
        const minReady = current?.spec?.minReadySeconds ?? 0;
        if (current && !isPodReady(old) && isPodReady(cur) && minReady > 0) {
          this.controller.enqueue(
            { namespace: current.metadata?.namespace ?? '', name: current.metadata?.name ?? '' },
            { afterMs: minReady * 1000 + 1000 },
          );
        }
      },
      delete: (e) => deleted(e.object as Readonly<Pod>),
    };
  }
}

/** Creates the controller for `kind` on `mgr`, with the shared pod and owner indexes. */
export async function newReplicaSetController(
  mgr: Manager,
  kind: ReplicaKind,
  options: ReplicaSetControllerOptions = {},
): Promise<{ controller: RuntimeController; replicaSets: ReplicaSetController }> {
  const rsInformer = (await mgr.informers.informerFor(
    kind.kind,
  )) as unknown as Store<ReplicaObject>;
  const podInformer = (await mgr.informers.informerFor(Pod)) as unknown as Store<Pod>;
  ensureControllerUIDIndex(rsInformer as unknown as Informer<KubernetesObject>);
  ensureControllerUIDIndex(podInformer as unknown as Informer<KubernetesObject>);
  const replicaSets = new ReplicaSetController(mgr, kind, rsInformer, podInformer, options);
  return { controller: replicaSets.register(options), replicaSets };
}
