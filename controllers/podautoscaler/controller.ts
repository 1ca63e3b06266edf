/**
 * The HorizontalPodAutoscaler controller (`horizontal.go`, autoscaling/v2). Every HPA is
 * reconciled one sync period (15 s) after it appears or changes, and every sync period after each
 * reconcile, whatever its outcome (errors are logged, not retried sooner), as upstream's queue
 * does. One reconcile:
 *
 * 1. The target's `/scale` is read (`scaleTargetRef`); failures → AbleToScale=False
 *    `FailedGetScale` and a Warning event. Success → AbleToScale=True `SucceededGetScale`.
 * 2. A target at 0 replicas with minReplicas > 0 → ScalingActive=False `ScalingDisabled`, nothing
 *    changes. Above maxReplicas or below minReplicas → straight to the bound. Otherwise every
 *    metric proposes a count (`compute.ts`, `replicas.ts`) and the largest wins; all metrics
 *    failing, or some failing on a scale-down, → the first failure's ScalingActive=False condition,
 *    a `FailedComputeMetricsReplicas` event, no change. Else ScalingActive=True `ValidMetricFound`.
 * 3. The proposal is stabilized and limited (`normalize.ts`), setting AbleToScale and
 *    ScalingLimited.
 * 4. A changed count is written to `/scale` (`SuccessfulRescale "New size: N; reason: …"`, or
 *    `FailedRescale` and AbleToScale=False `FailedUpdateScale`), `lastScaleTime` set.
 * 5. Status (currentReplicas, desiredReplicas, currentMetrics, conditions) is written through
 *    `/status` when it changed.
 *
 * The pod selector comes from the scale's `status.selector`; pods selected by two HPAs' targets
 * make both report `AmbiguousSelector`.
 */
import {
  controllerManagedBy,
  HorizontalPodAutoscaler,
  Pod,
  requestKey,
  resourcePath,
  rfc3339,
  type EventRecorder,
  type Informer,
  type Kind,
  type KubernetesObject,
  type Logger,
  type Manager,
  type Request,
  type Result,
  type RuntimeController,
} from '../../framework/index.js';
import {
  errorMessage,
  semanticEqual,
  sharedInformer,
  SpamFilteredRecorder,
} from '../util/index.js';
import type { MetricStatus } from './compute.js';
import { MetricsEvaluator, type Scale } from './evaluate.js';
import { setCondition, type ConditionValue, type HPA } from './conditions.js';
import {
  conditionTypes,
  defaultConcurrentSyncs,
  defaultCpuInitializationPeriodMs,
  defaultDownscaleStabilizationMs,
  defaultInitialReadinessDelayMs,
  defaultSyncPeriodMs,
  defaultTolerance,
  podAutoscalerComponent,
} from './defaults.js';
import { RestMetricsClient, type MetricsClient } from './metrics.js';
import { Normalizer } from './normalize.js';
import { ReplicaCalculator } from './replicas.js';

export interface HorizontalControllerOptions {
  /** Workers (`--concurrent-horizontal-pod-autoscaler-syncs`). Default 5. */
  concurrentSyncs?: number;
  /** `--horizontal-pod-autoscaler-sync-period`. Default 15 s. */
  syncPeriodMs?: number;
  /** `--horizontal-pod-autoscaler-tolerance`. Default 0.1. */
  tolerance?: number;
  /** `--horizontal-pod-autoscaler-downscale-stabilization`. Default 5 min. */
  downscaleStabilizationMs?: number;
  /** `--horizontal-pod-autoscaler-cpu-initialization-period`. Default 5 min. */
  cpuInitializationPeriodMs?: number;
  /** `--horizontal-pod-autoscaler-initial-readiness-delay`. Default 30 s. */
  initialReadinessDelayMs?: number;
  /** Metrics source. Default: the metrics APIs through the API server ({@link RestMetricsClient}). */
  metrics?: MetricsClient;
}

export class HorizontalController {
  private controller!: RuntimeController;
  private readonly recorder: EventRecorder;
  private readonly normalizer: Normalizer;
  private readonly evaluator: MetricsEvaluator;
  private readonly syncPeriodMs: number;

  constructor(
    private readonly mgr: Manager,
    private readonly hpas: Informer<HorizontalPodAutoscaler>,
    private readonly pods: Informer<Pod>,
    private readonly options: HorizontalControllerOptions,
  ) {
    this.syncPeriodMs = options.syncPeriodMs ?? defaultSyncPeriodMs;
    this.recorder = new SpamFilteredRecorder(mgr.eventRecorderFor(podAutoscalerComponent), {
      clock: mgr.clock,
    });
    this.normalizer = new Normalizer(
      () => mgr.clock.now(),
      options.downscaleStabilizationMs ?? defaultDownscaleStabilizationMs,
    );
    const calc = new ReplicaCalculator({
      metrics: options.metrics ?? new RestMetricsClient(mgr.apiClient),
      pods: (namespace, selector) => pods.store.list({ namespace, labelSelector: selector }),
      now: () => mgr.clock.now(),
      tolerance: options.tolerance ?? defaultTolerance,
      cpuInitializationPeriodMs:
        options.cpuInitializationPeriodMs ?? defaultCpuInitializationPeriodMs,
      initialReadinessDelayMs: options.initialReadinessDelayMs ?? defaultInitialReadinessDelayMs,
    });
    this.evaluator = new MetricsEvaluator({
      calc,
      pods: (namespace, selector) => pods.store.list({ namespace, labelSelector: selector }),
      event: (hpa, reason, message) => this.event(hpa, 'Warning', reason, message),
      condition: (hpa, c) => this.condition(hpa, c),
    });
  }

  register(): RuntimeController {
    const later = (obj: Readonly<KubernetesObject>) =>
      this.controller.enqueue(
        { namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '' },
        { afterMs: this.syncPeriodMs },
      );
    this.controller = controllerManagedBy(this.mgr)
      .named('horizontalpodautoscaler')
      .for(HorizontalPodAutoscaler, {
        predicates: [
          { create: () => false, update: () => false, delete: () => false, generic: () => false },
        ],
      })
      .watches(HorizontalPodAutoscaler, {
        create: (e) => later(e.object),
        update: (e) => later(e.objectNew),
        delete: (e) => this.forget(`${e.object.metadata?.namespace}/${e.object.metadata?.name}`),
      })
      .withOptions({
        maxConcurrentReconciles: this.options.concurrentSyncs ?? defaultConcurrentSyncs,
        usePriorityQueue: false,
      })
      .complete({ reconcile: (req, ctx) => this.reconcile(req, ctx.log) });
    return this.controller;
  }

  private forget(key: string): void {
    this.normalizer.forget(key);
    this.evaluator.forget(key);
  }

  /** `reconcileKey`: one pass, then again after the sync period while the HPA exists. */
  async reconcile(req: Request, log?: Logger): Promise<Result | void> {
    const key = requestKey(req);
    const cached = this.hpas.store.getByName(req.namespace, req.name);
    if (!cached) {
      this.forget(key);
      return;
    }
    try {
      await this.reconcileAutoscaler(structuredClone(cached) as HPA, key);
    } catch (err) {
      log?.error({ err: errorMessage(err) }, `failed to reconcile HorizontalPodAutoscaler ${key}`);
    }
    return { requeueAfter: this.syncPeriodMs };
  }

  private now(): string {
    return rfc3339(new Date(this.mgr.clock.now()));
  }

  private condition(hpa: HPA, c: ConditionValue): void {
    setCondition(hpa, c, this.now());
  }

  private event(hpa: HPA, type: 'Normal' | 'Warning', reason: string, message: string): void {
    void this.recorder.event(hpa, type, reason, message);
  }

  /** `reconcileAutoscaler`; see the module comment. */
  async reconcileAutoscaler(hpa: HPA, key: string): Promise<void> {
    const original = structuredClone(hpa.status ?? { desiredReplicas: 0 });
    const ns = hpa.metadata?.namespace ?? '';
    const ref = hpa.spec!.scaleTargetRef;
    const reference = `${ref.kind}/${ns}/${ref.name}`;
    const failGetScale = async (err: unknown, wrapped: string): Promise<never> => {
      this.event(hpa, 'Warning', 'FailedGetScale', errorMessage(err));
      this.condition(hpa, {
        type: conditionTypes.ableToScale,
        status: 'False',
        reason: 'FailedGetScale',
        message: `the HPA controller was unable to get the target's current scale: ${errorMessage(err)}`,
      });
      await this.updateStatusIfNeeded(original, hpa);
      throw new Error(wrapped);
    };

    const parts = (ref.apiVersion ?? '').split('/');
    if (parts.length > 2) {
      const err = new Error(`unexpected GroupVersion string: ${ref.apiVersion}`);
      return failGetScale(err, `invalid API version in scale target reference: ${err.message}`);
    }
    const group = parts.length === 2 ? parts[0]! : '';
    const version = parts.at(-1) || 'v1';
    let kind: Kind;
    try {
      kind = await this.mgr.apiClient.mapper.mapping({ group, version, kind: ref.kind });
    } catch {
      const err = new Error(`no matches for kind "${ref.kind}" in group "${group}"`);
      return failGetScale(
        err,
        `unable to determine resource for scale target reference: ${err.message}`,
      );
    }
    const scalePath = resourcePath(kind, { namespace: ns, name: ref.name, subresource: 'scale' });
    let scale: Scale;
    try {
      scale = await this.mgr.apiClient.rest.json<Scale>({ method: 'GET', path: scalePath });
    } catch (err) {
      return failGetScale(
        err,
        `failed to query scale subresource for ${reference}: ${errorMessage(err)}`,
      );
    }
    this.condition(hpa, {
      type: conditionTypes.ableToScale,
      status: 'True',
      reason: 'SucceededGetScale',
      message: "the HPA controller was able to get the target's current scale",
    });
    const currentReplicas = scale.spec?.replicas ?? 0;
    this.normalizer.recordInitial(key, currentReplicas);

    const minReplicas = hpa.spec!.minReplicas ?? 1;
    const maxReplicas = hpa.spec!.maxReplicas;
    let desiredReplicas = 0;
    let rescaleReason = '';
    let rescale = true;
    let metricStatuses: MetricStatus[] = [];
    let retErr: Error | undefined;
    if (currentReplicas === 0 && minReplicas !== 0) {
      rescale = false;
      this.condition(hpa, {
        type: conditionTypes.scalingActive,
        status: 'False',
        reason: 'ScalingDisabled',
        message: 'scaling is disabled since the replica count of the target is zero',
      });
    } else if (currentReplicas > maxReplicas) {
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
      desiredReplicas = maxReplicas;
    } else if (currentReplicas < minReplicas) {
      rescaleReason = 'Current number of replicas below Spec.MinReplicas';
      desiredReplicas = minReplicas;
    } else {
      const computed = await this.evaluator.evaluate(hpa, scale);
      metricStatuses = computed.statuses;
      if (computed.error && computed.replicas === -1) {
        this.setStatus(
          hpa,
          currentReplicas,
          hpa.status?.desiredReplicas ?? 0,
          metricStatuses,
          false,
        );
        await this.updateStatusIfNeeded(original, hpa);
        this.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', computed.error.message);
        throw new Error(
          `failed to compute desired number of replicas based on listed metrics for ${reference}: ${computed.error.message}`,
        );
      }
      retErr = computed.error;
      if (computed.replicas > desiredReplicas) desiredReplicas = computed.replicas;
      if (desiredReplicas > currentReplicas) rescaleReason = `${computed.metricName} above target`;
      if (desiredReplicas < currentReplicas) rescaleReason = 'All metrics below target';
      const n = this.normalizer.normalize({
        key,
        currentReplicas,
        desiredReplicas,
        minReplicas,
        maxReplicas,
        behavior: hpa.spec!.behavior,
      });
      this.condition(hpa, n.ableToScale);
      this.condition(hpa, n.scalingLimited);
      desiredReplicas = n.replicas;
      rescale = desiredReplicas !== currentReplicas;
    }

    if (rescale) {
      try {
        await this.mgr.apiClient.rest.json({
          method: 'PUT',
          path: scalePath,
          body: { ...scale, spec: { ...(scale.spec ?? {}), replicas: desiredReplicas } },
        });
      } catch (err) {
        this.event(
          hpa,
          'Warning',
          'FailedRescale',
          `New size: ${desiredReplicas}; reason: ${rescaleReason}; error: ${errorMessage(err)}`,
        );
        this.condition(hpa, {
          type: conditionTypes.ableToScale,
          status: 'False',
          reason: 'FailedUpdateScale',
          message: `the HPA controller was unable to update the target scale: ${errorMessage(err)}`,
        });
        this.setStatus(
          hpa,
          currentReplicas,
          hpa.status?.desiredReplicas ?? 0,
          metricStatuses,
          false,
        );
        await this.updateStatusIfNeeded(original, hpa);
        throw new Error(`failed to rescale ${reference}: ${errorMessage(err)}`);
      }
      this.condition(hpa, {
        type: conditionTypes.ableToScale,
        status: 'True',
        reason: 'SucceededRescale',
        message: `the HPA controller was able to update the target scale to ${desiredReplicas}`,
      });
      this.event(
        hpa,
        'Normal',
        'SuccessfulRescale',
        `New size: ${desiredReplicas}; reason: ${rescaleReason}`,
      );
      this.normalizer.storeScaleEvent(
        { key, behavior: hpa.spec!.behavior },
        currentReplicas,
        desiredReplicas,
      );
    } else {
      desiredReplicas = currentReplicas;
    }
    this.setStatus(hpa, currentReplicas, desiredReplicas, metricStatuses, rescale);
    await this.updateStatusIfNeeded(original, hpa);
    if (retErr) throw retErr;
  }

  /** `setStatus`. */
  private setStatus(
    hpa: HPA,
    currentReplicas: number,
    desiredReplicas: number,
    metrics: MetricStatus[],
    rescale: boolean,
  ): void {
    const old = hpa.status ?? { desiredReplicas: 0 };
    hpa.status = {
      currentReplicas,
      desiredReplicas,
      lastScaleTime: rescale ? this.now() : old.lastScaleTime,
      currentMetrics: metrics.length > 0 ? metrics : undefined,
      conditions: old.conditions,
    };
  }

  /** `updateStatusIfNeeded`. */
  private async updateStatusIfNeeded(original: HPA['status'], hpa: HPA): Promise<void> {
    if (semanticEqual(original, hpa.status)) return;
    try {
      await this.mgr.client.updateStatus(hpa, { kind: HorizontalPodAutoscaler });
    } catch (err) {
      this.event(hpa, 'Warning', 'FailedUpdateStatus', errorMessage(err));
      throw new Error(`failed to update status for ${hpa.metadata?.name}: ${errorMessage(err)}`);
    }
  }
}

/** Creates the controller on `mgr`. */
export async function newHorizontalController(
  mgr: Manager,
  options: HorizontalControllerOptions = {},
): Promise<{ controller: RuntimeController; autoscaler: HorizontalController }> {
  const hpas = await sharedInformer<HorizontalPodAutoscaler>(mgr, HorizontalPodAutoscaler);
  const pods = await sharedInformer<Pod>(mgr, Pod);
  const autoscaler = new HorizontalController(mgr, hpas, pods, options);
  return { controller: autoscaler.register(), autoscaler };
}
