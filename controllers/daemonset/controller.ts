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
 * Errors are retried with the controller's rate limiter. What wakes a DaemonSet is in
 * `handlers.ts`.
 */
import {
  ControllerRevision,
  controllerManagedBy,
  DaemonSet,
  isNotFound,
  labelSelectorFromObject,
  Node,
  Pod,
  requestKey,
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
  newControllerRef,
  ownedAndOrphans,
  PodControl,
  slowStartBatch,
  slowStartInitialBatchSize,
  SpamFilteredRecorder,
  UIDTrackingExpectations,
  sharedInformer,
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
import { daemonPodTemplate, pinToNode, type DS } from './placement.js';
import { DaemonSetHistory } from './revisions.js';
import { planRollingUpdate } from './rollingupdate.js';
import { DaemonSetHandlers } from './handlers.js';
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
  private readonly handlers: DaemonSetHandlers;

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
    this.handlers = new DaemonSetHandlers({
      daemonSets: dsInformer,
      expectations: this.expectations,
      controller: () => this.controller,
    });
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
      .watches(DaemonSet, this.handlers.ownerHandler())
      .watches(Pod, this.handlers.podHandler())
      .watches(Node, this.handlers.nodeHandler())
      .watches(ControllerRevision, this.handlers.historyHandler())
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
}

/** Creates the controller on `mgr`, with the shared controller-UID indexes. */
export async function newDaemonSetsController(
  mgr: Manager,
  options: DaemonSetControllerOptions = {},
): Promise<{ controller: RuntimeController; daemonSets: DaemonSetsController }> {
  const dsInformer = await sharedInformer<DaemonSet>(mgr, DaemonSet);
  const pods = await sharedInformer<Pod>(mgr, Pod);
  const nodes = await sharedInformer<Node>(mgr, Node);
  const revisions = await sharedInformer<ControllerRevision>(mgr, ControllerRevision);
  ensureControllerUIDIndex(pods as unknown as Informer<KubernetesObject>);
  ensureControllerUIDIndex(revisions as unknown as Informer<KubernetesObject>);
  const daemonSets = new DaemonSetsController(mgr, dsInformer, pods, nodes, revisions, options);
  return { controller: daemonSets.register(options), daemonSets };
}
