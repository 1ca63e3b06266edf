/**
 * The disruption controller (`disruption.go`): keeps each PodDisruptionBudget's status, which the
 * eviction API (`pods/eviction`) reads to allow or refuse an eviction.
 *
 * Per sync of one PDB:
 * 1. Its pods: those of its namespace its selector matches (`{}` matches all; Normal `NoPods`
 *    "No matching pods found" when there are none).
 * 2. expected and desired healthy counts (`budget.ts`, `finders.ts`); a failure → Warning
 *    `CalculateExpectedPodCountFailed`; pods without a controller → Warning `UnmanagedPods`.
 * 3. disruptedPods pruned (older than 2 min → Warning `NotDeleted` on the pod), currentHealthy
 *    counted, disruptionsAllowed computed, and status with the DisruptionAllowed condition
 *    (SufficientPods / InsufficientPods) written when it changed; the PDB is looked at again when
 *    the next disrupted pod's 2 minutes end.
 * 4. Any failure other than a write conflict → fail safe: disruptionsAllowed 0 and
 *    DisruptionAllowed False `SyncFailed` with the error, so no eviction is allowed; the sync is
 *    retried with backoff.
 *
 * A second loop resets `DisruptionTarget=True` conditions that pods kept for 2 minutes without
 * being deleted (not the kubelet's, not on finished pods) to False.
 *
 * Pod events wake the first PDB selecting the pod (Warning `MultiplePodDisruptionBudgets` on the
 * pod when several do).
 */
import {
  controllerManagedBy,
  Deployment,
  isConflict,
  labelSelectorFromObject,
  Pod,
  PodDisruptionBudget,
  ReplicaSet,
  ReplicationController,
  rfc3339,
  StatefulSet,
  type EventHandler,
  type EventRecorder,
  type Informer,
  type KubernetesObject,
  type Logger,
  type Manager,
  type Request,
  type Result,
  type RuntimeController,
} from '../../framework/index.js';
import { errorMessage, sharedInformer, SpamFilteredRecorder } from '../util/index.js';
import {
  buildDisruptedPodMap,
  countHealthyPods,
  desiredHealthy,
  disruptionsAllowed,
  setCondition,
  statusUpToDate,
  updateDisruptionAllowedCondition,
  type PDB,
  type PDBStatus,
} from './budget.js';
import { disruptionAllowedCondition, disruptionComponent, reasons } from './defaults.js';
import { ScaleFinder } from './finders.js';
import { StalePodDisruption } from './stalepods.js';

type P = Readonly<Pod>;

export class DisruptionController {
  private controller!: RuntimeController;
  private readonly recorder: EventRecorder;
  private readonly finder: ScaleFinder;

  constructor(
    private readonly mgr: Manager,
    private readonly pdbs: Informer<PodDisruptionBudget>,
    private readonly pods: Informer<Pod>,
    finder: Omit<ConstructorParameters<typeof ScaleFinder>[0], 'api'>,
  ) {
    this.recorder = new SpamFilteredRecorder(mgr.eventRecorderFor(disruptionComponent), {
      clock: mgr.clock,
    });
    this.finder = new ScaleFinder({ ...finder, api: mgr.apiClient });
  }

  register(): RuntimeController {
    this.controller = controllerManagedBy(this.mgr)
      .named('disruption')
      .for(PodDisruptionBudget)
      .watches(Pod, this.podHandler())
      .withOptions({ maxConcurrentReconciles: 1, usePriorityQueue: false })
      .complete({ reconcile: (req, ctx) => this.sync(req, ctx.log) });
    return this.controller;
  }

  /**
   * `sync`: `trySync`; on errors other than conflicts, the fail-safe status (the sync is then done
   * until the next event, as upstream; a failed fail-safe write is retried with backoff).
   */
  async sync(req: Request, log?: Logger): Promise<Result | void> {
    const pdb = this.pdbs.store.getByName(req.namespace, req.name);
    if (!pdb) return;
    try {
      return await this.trySync(pdb);
    } catch (err) {
      if (isConflict(err)) throw err;
      log?.error({ err: errorMessage(err) }, `Failed to sync PDB ${req.namespace}/${req.name}`);
      await this.failSafe(pdb, err);
    }
  }

  private podsOf(pdb: PDB): P[] {
    const selector = labelSelectorFromObject(pdb.spec?.selector);
    return this.pods.store.list({ namespace: pdb.metadata?.namespace, labelSelector: selector });
  }

  /** `trySync`; see the module comment. */
  private async trySync(pdb: PDB): Promise<Result | void> {
    let pods: P[];
    try {
      pods = this.podsOf(pdb);
    } catch (err) {
      void this.recorder.event(
        pdb,
        'Warning',
        'NoPods',
        `Failed to get pods: ${errorMessage(err)}`,
      );
      throw err;
    }
    if (pods.length === 0)
      void this.recorder.event(pdb, 'Normal', 'NoPods', 'No matching pods found');
    let unmanaged: string[] = [];
    let counts;
    try {
      counts = await desiredHealthy(pdb, pods, async () => {
        const r = await this.finder.expectedScale(pods);
        unmanaged = r.unmanaged;
        return r.count;
      });
    } catch (err) {
      void this.recorder.event(
        pdb,
        'Warning',
        'CalculateExpectedPodCountFailed',
        `Failed to calculate the number of expected pods: ${errorMessage(err)}`,
      );
      throw err;
    }
    if (unmanaged.length > 0) {
      void this.recorder.event(
        pdb,
        'Warning',
        'UnmanagedPods',
        `Pods selected by this PodDisruptionBudget (selector: ${JSON.stringify(pdb.spec?.selector)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`,
      );
    }
    const now = this.mgr.clock.now();
    const { disrupted, expired, recheckAtMs } = buildDisruptedPodMap(pods, pdb, now);
    for (const name of expired) {
      const pod = pods.find((p) => p.metadata?.name === name);
      if (!pod) continue;
      void this.recorder.event(
        pod,
        'Warning',
        'NotDeleted',
        `Pod was expected by PDB ${pdb.metadata?.namespace}/${pdb.metadata?.namespace} to be deleted but it wasn't`,
      );
    }
    const currentHealthy = countHealthyPods(pods, disrupted, now);
    await this.updateStatus(pdb, {
      currentHealthy,
      desiredHealthy: counts.desiredHealthy,
      expectedPods: counts.expectedCount,
      disruptionsAllowed: disruptionsAllowed(
        currentHealthy,
        counts.desiredHealthy,
        counts.expectedCount,
      ),
      disruptedPods: disrupted,
      observedGeneration: pdb.metadata?.generation,
    });
    if (recheckAtMs !== undefined) return { requeueAfter: Math.max(recheckAtMs - now, 1) };
  }

  /** `updatePdbStatus`: writes when anything changed, keeping the other conditions. */
  private async updateStatus(pdb: PDB, next: PDBStatus): Promise<void> {
    if (statusUpToDate(pdb, next)) return;
    const status: PDBStatus = {
      ...next,
      conditions: structuredClone(pdb.status?.conditions ?? []),
    };
    updateDisruptionAllowedCondition(status, rfc3339(new Date(this.mgr.clock.now())));
    await this.write(pdb, status);
  }

  /** `failSafe`: no disruption allowed, with the error as the condition's message. */
  private async failSafe(pdb: PDB, err: unknown): Promise<void> {
    const status = structuredClone(pdb.status ?? {}) as PDBStatus;
    status.disruptionsAllowed = 0;
    setCondition(
      status,
      {
        type: disruptionAllowedCondition,
        status: 'False',
        reason: reasons.syncFailed,
        message: errorMessage(err),
        observedGeneration: status.observedGeneration,
      },
      rfc3339(new Date(this.mgr.clock.now())),
    );
    await this.write(pdb, status);
  }

  private async write(pdb: PDB, status: PDBStatus): Promise<void> {
    const updated = structuredClone(pdb) as PodDisruptionBudget;
    updated.status = status;
    await this.mgr.client.updateStatus(updated, { kind: PodDisruptionBudget });
  }

  /** `getPdbForPod`: the first PDB of the pod's namespace selecting it. */
  private pdbForPod(pod: P): PDB | undefined {
    const labels = pod.metadata?.labels;
    if (!labels || Object.keys(labels).length === 0) return undefined;
    const matching = this.pdbs.store.list({ namespace: pod.metadata?.namespace }).filter((pdb) => {
      try {
        return labelSelectorFromObject(pdb.spec?.selector).matches(labels);
      } catch {
        return false;
      }
    });
    if (matching.length > 1) {
      void this.recorder.event(
        pod,
        'Warning',
        'MultiplePodDisruptionBudgets',
        `Pod "${pod.metadata?.namespace}"/"${pod.metadata?.name}" matches multiple PodDisruptionBudgets.  Chose "${matching[0]!.metadata?.name}" arbitrarily.`,
      );
    }
    return matching[0];
  }

  private podHandler(): EventHandler {
    const wake = (obj: Readonly<KubernetesObject>) => {
      const pdb = this.pdbForPod(obj as P);
      if (pdb) {
        this.controller.enqueue({
          namespace: pdb.metadata?.namespace ?? '',
          name: pdb.metadata?.name ?? '',
        });
      }
    };
    return {
      create: (e) => wake(e.object),
      update: (e) => wake(e.objectNew),
      delete: (e) => wake(e.object),
    };
  }
}

/** Creates the disruption controller and its stale-condition loop on `mgr`. */
export async function newDisruptionController(
  mgr: Manager,
): Promise<{ controller: RuntimeController; disruption: DisruptionController }> {
  const disruption = new DisruptionController(
    mgr,
    await sharedInformer<PodDisruptionBudget>(mgr, PodDisruptionBudget),
    await sharedInformer<Pod>(mgr, Pod),
    {
      replicationControllers: await sharedInformer<ReplicationController>(
        mgr,
        ReplicationController,
      ),
      replicaSets: await sharedInformer<ReplicaSet>(mgr, ReplicaSet),
      deployments: await sharedInformer<Deployment>(mgr, Deployment),
      statefulSets: await sharedInformer<StatefulSet>(mgr, StatefulSet),
    },
  );
  new StalePodDisruption(mgr).register();
  return { controller: disruption.register(), disruption };
}
