/**
 * The DaemonSet controller (`daemon_controller.go`). Per sync of one DaemonSet:
 *
 * 1. Gone from the cache → its expectations are forgotten. A selector of `{}` → Warning
 *    `SelectingAll`, nothing else. Being deleted → nothing (its history may already be gone).
 * 2. Its revision history is brought up to date and the current hash found (`revisions.ts`).
 * 3. While pod creations or deletions it asked for are unobserved, only status is written.
 * 4. `manage`: pods claimed (adopt by selector, release), grouped by target node, and created or
 *    deleted per node (`manage.ts`); creations in slow-start batches of at most 250 per sync, each
 *    pod pinned to its node by required node affinity and bound by the scheduler.
 * 5. When everything asked for is observed: RollingUpdate deletes old pods / creates surge pods
 *    (`rollingupdate.ts`); OnDelete does nothing. Old revisions beyond the history limit go.
 * 6. Status is written (`status.ts`); with minReadySeconds, a DaemonSet whose ready pods are not
 *    all available — or one waiting out a failed pod's back-off — is synced again later.
 *
 * Errors are retried with the controller's rate limiter. Node additions and label or taint changes
 * wake the DaemonSets whose placement they change; pod and revision events wake their owner (or,
 * for orphans, the DaemonSets selecting them).
 */
import {
  ControllerRevision,
  controllerManagedBy,
  DaemonSet,
  getControllerOf,
  isNotFound,
  labelSelectorFromObject,
  Node,
  Pod,
  requestKey,
  type EventHandler,
  type Informer,
  type KubernetesObject,
  type Manager,
  type OwnerReference,
  type Request,
  type Result,
  type RuntimeController,
} from '../../framework/index.js';
import { ControllerHistory } from '../history/index.js';
import {
  aggregate,
  claimChildren,
  ensureControllerUIDIndex,
  isNamespaceTerminating,
  isPodReady,
  newControllerRef,
  ownedAndOrphans,
  PodControl,
  podKey,
  semanticEqual,
  slowStartBatch,
  slowStartInitialBatchSize,
  SpamFilteredRecorder,
  UIDTrackingExpectations,
} from '../util/index.js';
import { Backoff } from './backoff.js';
import {
  daemonSetComponent,
  defaultBurstReplicas,
  defaultConcurrentSyncs,
  failedPodsBackoffInitialMs,
  failedPodsBackoffMaxMs,
  reasons,
  uniqueLabelKey,
} from './defaults.js';
import { nodesToDaemonPods, planNodes } from './manage.js';
import { daemonPodTemplate, nodeShouldRunDaemonPod, pinToNode, type DS } from './placement.js';
import { DaemonSetHistory } from './revisions.js';
import { planRollingUpdate } from './rollingupdate.js';
import { computeCounts, storeStatus } from './status.js';

export interface DaemonSetControllerOptions {
  /** Workers (`--concurrent-daemonset-syncs`). Default 2. */
  concurrentSyncs?: number;
  /** Most pods created or deleted per sync. Default 250. */
  burstReplicas?: number;
}

type P = Readonly<Pod>;

export class DaemonSetsController {
  readonly expectations: UIDTrackingExpectations;
  private controller!: RuntimeController;
  private readonly podControl: PodControl;
  private readonly recorder: SpamFilteredRecorder;
  private readonly history: DaemonSetHistory;
  private readonly backoff = new Backoff(failedPodsBackoffInitialMs, failedPodsBackoffMaxMs);
  private readonly burstReplicas: number;

  constructor(
    private readonly mgr: Manager,
    private readonly dsInformer: Informer<DaemonSet>,
    private readonly podInformer: Informer<Pod>,
    private readonly nodeInformer: Informer<Node>,
    revisions: Informer<ControllerRevision>,
    options: DaemonSetControllerOptions,
  ) {
    this.expectations = new UIDTrackingExpectations({ clock: mgr.clock });
    this.recorder = new SpamFilteredRecorder(mgr.eventRecorderFor(daemonSetComponent), {
      clock: mgr.clock,
    });
    this.podControl = new PodControl(mgr.client, this.recorder);
    this.burstReplicas = options.burstReplicas ?? defaultBurstReplicas;
    const history = new ControllerHistory({
      client: mgr.client,
      api: mgr.apiClient,
      informer: revisions,
    });
    this.history = new DaemonSetHistory({
      client: mgr.client,
      api: mgr.apiClient,
      history,
      revisions,
    });
  }

  register(options: DaemonSetControllerOptions): RuntimeController {
    this.controller = controllerManagedBy(this.mgr)
      .named('daemonset')
      .for(DaemonSet)
      .watches(DaemonSet, this.ownerHandler())
      .watches(Pod, this.podHandler())
      .watches(Node, this.nodeHandler())
      .watches(ControllerRevision, this.historyHandler())
      .withOptions({
        maxConcurrentReconciles: options.concurrentSyncs ?? defaultConcurrentSyncs,
        usePriorityQueue: false,
      })
      .complete({ reconcile: (req) => this.sync(req) });
    return this.controller;
  }

  /** `syncDaemonSet`; see the module comment. */
  async sync(req: Request): Promise<Result | void> {
    const key = requestKey(req);
    const ds = this.dsInformer.store.getByName(req.namespace, req.name);
    if (!ds) {
      this.expectations.delete(key);
      return;
    }
    const nodes = this.nodeInformer.store.list();
    const selector = ds.spec?.selector as Record<string, unknown> | undefined;
    if (selector && Object.keys(selector).length === 0) {
      void this.recorder.event(
        ds,
        'Warning',
        reasons.selectingAll,
        'This daemon set is selecting all pods. A non-empty selector is required.',
      );
      return;
    }
    if (ds.metadata?.deletionTimestamp) return;
    const { current, old } = await this.history.construct(ds);
    const hash = current.metadata?.labels?.[uniqueLabelKey] ?? '';
    if (!this.expectations.satisfied(key)) {
      await this.updateStatus(ds, nodes, hash, false);
      return;
    }
    let requeueAfter: number | undefined;
    let error: unknown;
    try {
      requeueAfter = await this.updateDaemonSet(ds, nodes, hash, key, old);
    } catch (err) {
      error = err;
    }
    let statusError: unknown;
    let statusRequeue: number | undefined;
    try {
      statusRequeue = await this.updateStatus(ds, nodes, hash, true);
    } catch (err) {
      statusError = err;
    }
    if (error !== undefined) throw error;
    if (statusError !== undefined) throw statusError;
    const after = [requeueAfter, statusRequeue].filter((v): v is number => v !== undefined);
    if (after.length > 0) return { requeueAfter: Math.min(...after) };
  }

  /** `getDaemonPods`: claims the DaemonSet's pods. */
  private async daemonPods(ds: DS): Promise<P[]> {
    const candidates = ownedAndOrphans(
      this.podInformer,
      ds.metadata?.namespace ?? '',
      ds.metadata?.uid ?? '',
    ).filter((p) => p.metadata?.namespace === ds.metadata?.namespace);
    return claimChildren(candidates, {
      client: this.mgr.client,
      api: this.mgr.apiClient,
      owner: ds,
      ownerKind: DaemonSet,
      childKind: Pod,
      selector: labelSelectorFromObject(ds.spec?.selector),
    });
  }

  /** `updateDaemonSet`: manage, rolling update, history clean-up; resolves with a requeue delay. */
  private async updateDaemonSet(
    ds: DS,
    nodes: readonly Readonly<Node>[],
    hash: string,
    key: string,
    old: Awaited<ReturnType<DaemonSetHistory['construct']>>['old'],
  ): Promise<number | undefined> {
    const nowMs = this.mgr.clock.now();
    const plan = planNodes({
      ds,
      nodes,
      nodeToDaemonPods: nodesToDaemonPods(await this.daemonPods(ds)),
      hash,
      nowMs,
      backoff: this.backoff,
    });
    for (const e of plan.events) void this.recorder.event(ds, e.type, e.reason, e.message);
    await this.syncNodes(ds, key, plan.podsToDelete, plan.nodesNeedingDaemonPods, hash);
    if (this.expectations.satisfied(key) && ds.spec?.updateStrategy?.type === 'RollingUpdate') {
      const pods = nodesToDaemonPods(await this.daemonPods(ds));
      let update;
      try {
        update = planRollingUpdate(ds, nodes, pods, hash, nowMs);
      } catch (err) {
        throw new Error(`couldn't get unavailable numbers: ${String(err)}`, { cause: err });
      }
      await this.syncNodes(ds, key, update.oldPodsToDelete, update.newNodesToCreate, hash);
    }
    const live = new Set<string>();
    for (const pods of nodesToDaemonPods(await this.daemonPods(ds), true).values()) {
      for (const p of pods) {
        const h = p.metadata?.labels?.[uniqueLabelKey];
        if (h) live.add(h);
      }
    }
    try {
      await this.history.cleanup(ds, old, live);
    } catch (err) {
      throw new Error(`failed to clean up revisions of DaemonSet: ${String(err)}`, { cause: err });
    }
    return plan.requeueAfterMs;
  }

  /** `syncNodes`: creates pods on `nodes` and deletes `podNames`, at most 250 of each. */
  private async syncNodes(
    ds: DS,
    key: string,
    podNames: readonly string[],
    nodeNames: readonly string[],
    hash: string,
  ): Promise<void> {
    const namespace = ds.metadata?.namespace ?? '';
    const toCreate = nodeNames.slice(0, this.burstReplicas);
    const toDelete = podNames.slice(0, this.burstReplicas);
    this.expectations.setExpectations(
      key,
      toCreate.length,
      toDelete.map((n) => `${namespace}/${n}`),
    );
    const errors: Error[] = [];
    const template = daemonPodTemplate(ds, hash);
    const ref = newControllerRef(ds, DaemonSet) as OwnerReference;
    let attempted = 0;
    const { error } = await slowStartBatch(
      toCreate.length,
      slowStartInitialBatchSize,
      async (i) => {
        attempted++;
        const podTemplate = structuredClone(template);
        pinToNode(podTemplate.spec!, toCreate[i]!);
        try {
          await this.podControl.createPod(podTemplate, ds, ref);
        } catch (err) {
          this.expectations.creationObserved(key);
          if (isNamespaceTerminating(err)) return;
          errors.push(err instanceof Error ? err : new Error(String(err)));
          throw err;
        }
      },
    );
    for (let i = attempted; i < toCreate.length && error !== undefined; i++) {
      this.expectations.creationObserved(key);
    }
    await Promise.all(
      toDelete.map(async (name) => {
        try {
          await this.podControl.deletePod(namespace, name, ds);
        } catch (err) {
          this.expectations.deletionObserved(key, `${namespace}/${name}`);
          if (!isNotFound(err)) errors.push(err instanceof Error ? err : new Error(String(err)));
        }
      }),
    );
    const all = aggregate(errors);
    if (all) throw all;
  }

  /** `updateDaemonSetStatus`; resolves with a requeue delay for minReadySeconds. */
  private async updateStatus(
    ds: DS,
    nodes: readonly Readonly<Node>[],
    hash: string,
    updateObservedGeneration: boolean,
  ): Promise<number | undefined> {
    const pods = nodesToDaemonPods(await this.daemonPods(ds));
    const counts = computeCounts(ds, nodes, pods, hash, this.mgr.clock.now());
    try {
      await storeStatus(this.mgr.client, this.mgr.apiClient, ds, counts, updateObservedGeneration);
    } catch (err) {
      throw new Error(
        `error storing status for daemon set ${ds.metadata?.namespace}/${ds.metadata?.name}: ${String(err)}`,
        { cause: err },
      );
    }
    const minReady = ds.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && counts.numberReady !== counts.numberAvailable) return minReady * 1000;
    return undefined;
  }

  private enqueue(ds: DS, afterMs?: number): void {
    this.controller.enqueue(
      { namespace: ds.metadata?.namespace ?? '', name: ds.metadata?.name ?? '' },
      afterMs ? { afterMs } : {},
    );
  }

  private dsKey(ds: Readonly<KubernetesObject>): string {
    return `${ds.metadata?.namespace}/${ds.metadata?.name}`;
  }

  /** `resolveControllerRef`. */
  private resolve(namespace: string | undefined, ref: OwnerReference | undefined): DS | undefined {
    if (!ref || ref.kind !== 'DaemonSet') return undefined;
    const ds = this.dsInformer.store.getByName(namespace, ref.name);
    return ds && ds.metadata?.uid === ref.uid ? ds : undefined;
  }

  /** DaemonSets of the object's namespace whose non-empty selector matches its labels. */
  private selecting(obj: Readonly<KubernetesObject>): DS[] {
    const labels = obj.metadata?.labels;
    if (!labels || Object.keys(labels).length === 0) return [];
    return this.dsInformer.store.list({ namespace: obj.metadata?.namespace }).filter((ds) => {
      try {
        const sel = labelSelectorFromObject(ds.spec?.selector);
        return !sel.isEmpty() && sel.matches(labels);
      } catch {
        return false;
      }
    });
  }

  /** A replaced or deleted DaemonSet forgets its expectations. */
  private ownerHandler(): EventHandler {
    return {
      update: (e) => {
        if (e.objectOld.metadata?.uid !== e.objectNew.metadata?.uid) {
          this.expectations.delete(this.dsKey(e.objectOld));
        }
      },
      delete: (e) => this.expectations.delete(this.dsKey(e.object)),
    };
  }

  /** `addPod` / `updatePod` / `deletePod`. */
  private podHandler(): EventHandler {
    const deleted = (pod: P) => {
      const ds = this.resolve(pod.metadata?.namespace, getControllerOf(pod));
      if (!ds) return;
      this.expectations.deletionObserved(this.dsKey(ds), podKey(pod));
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
          this.expectations.creationObserved(this.dsKey(ds));
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
  private nodeHandler(): EventHandler {
    return {
      create: (e) => {
        for (const ds of this.dsInformer.store.list()) {
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
        for (const ds of this.dsInformer.store.list()) {
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
        for (const ds of this.dsInformer.store.list()) this.enqueue(ds);
      },
    };
  }

  /** `addHistory` / `updateHistory` / `deleteHistory`. */
  private historyHandler(): EventHandler {
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

/** Creates the controller on `mgr`, with the shared controller-UID indexes. */
export async function newDaemonSetsController(
  mgr: Manager,
  options: DaemonSetControllerOptions = {},
): Promise<{ controller: RuntimeController; daemonSets: DaemonSetsController }> {
  const informer = async <T extends KubernetesObject>(
    kind: Parameters<typeof mgr.informers.informerFor>[0],
  ) => (await mgr.informers.informerFor(kind)) as unknown as Informer<T>;
  const dsInformer = await informer<DaemonSet>(DaemonSet);
  const pods = await informer<Pod>(Pod);
  const nodes = await informer<Node>(Node);
  const revisions = await informer<ControllerRevision>(ControllerRevision);
  ensureControllerUIDIndex(pods as unknown as Informer<KubernetesObject>);
  ensureControllerUIDIndex(revisions as unknown as Informer<KubernetesObject>);
  const daemonSets = new DaemonSetsController(mgr, dsInformer, pods, nodes, revisions, options);
  return { controller: daemonSets.register(options), daemonSets };
}
