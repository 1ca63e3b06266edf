/**
 * All metrics of one HPA (`computeReplicasForMetrics`, `validateAndParseSelector` in
 * `horizontal.go`):
 *
 * - the pod selector is the target scale's `status.selector`: missing → Warning
 *   `SelectorRequired` and ScalingActive=False `InvalidSelector`; unparsable → `InvalidSelector`;
 *   selecting pods that another HPA's target selects too → `AmbiguousSelector` (HPAs count once
 *   they have been evaluated, as upstream's selector cache);
 * - each metric proposes a count (`compute.ts`); failed metrics leave an empty `currentMetrics`
 *   entry (`{"type": ""}`, as upstream) and a Warning event; the largest proposal wins;
 * - when every metric failed, or some failed and the rest would scale down, the result is -1
 *   with the first failure's condition; otherwise ScalingActive=True `ValidMetricFound`.
 */
import {
  parseLabelSelector,
  type KubernetesObject,
  type Pod,
  type Selector,
} from '../../framework/index.js';
import { errorMessage } from '../util/index.js';
import { computeReplicasForMetric, MetricError, type MetricStatus } from './compute.js';
import type { ConditionValue, HPA } from './conditions.js';
import { conditionTypes } from './defaults.js';
import type { ReplicaCalculator } from './replicas.js';

/** An `autoscaling/v1` Scale. */
export interface Scale {
  apiVersion?: string;
  kind?: string;
  metadata?: KubernetesObject['metadata'];
  spec?: { replicas?: number };
  status?: { replicas?: number; selector?: string };
}

export interface MetricsEvaluatorOptions {
  calc: ReplicaCalculator;
  pods: (namespace: string, selector: Selector) => readonly Readonly<Pod>[];
  /** Records a Warning event on the HPA. */
  event: (hpa: HPA, reason: string, message: string) => void;
  condition: (hpa: HPA, c: ConditionValue) => void;
}

export class MetricsEvaluator {
  private readonly selectors = new Map<string, Selector>();

  constructor(private readonly o: MetricsEvaluatorOptions) {}

  /** Forgets a deleted HPA's selector. */
  forget(key: string): void {
    this.selectors.delete(key);
  }

  /** `computeReplicasForMetrics`: the largest proposal; -1 when it must not scale. */
  async evaluate(
    hpa: HPA,
    scale: Scale,
  ): Promise<{ replicas: number; metricName: string; statuses: MetricStatus[]; error?: Error }> {
    const metrics = hpa.spec!.metrics ?? [];
    const statuses: MetricStatus[] = metrics.map(() => ({ type: '' }));
    let selector: Selector;
    try {
      selector = this.validateSelector(hpa, scale.status?.selector ?? '');
    } catch (err) {
      return { replicas: -1, metricName: '', statuses: [], error: err as Error };
    }
    const specReplicas = scale.spec?.replicas ?? 0;
    const statusReplicas = scale.status?.replicas ?? 0;
    let replicas = 0;
    let metricName = '';
    let invalid = 0;
    let first: MetricError | undefined;
    for (let i = 0; i < metrics.length; i++) {
      try {
        const p = await computeReplicasForMetric(
          { hpa, calc: this.o.calc, specReplicas, statusReplicas, selector },
          metrics[i]!,
        );
        statuses[i] = p.status;
        if (replicas === 0 || p.replicas > replicas) {
          replicas = p.replicas;
          metricName = p.metricName;
        }
      } catch (err) {
        const e =
          err instanceof MetricError
            ? err
            : new MetricError(
                errorMessage(err),
                {
                  type: conditionTypes.scalingActive,
                  status: 'False',
                  reason: 'FailedGetMetric',
                  message: errorMessage(err),
                },
                errorMessage(err),
              );
        this.o.event(hpa, e.condition.reason, e.eventMessage);
        if (invalid === 0) first = e;
        invalid++;
      }
    }
    const error = first
      ? new Error(
          `invalid metrics (${invalid} invalid out of ${metrics.length}), first error is: ${first.message}`,
        )
      : undefined;
    if (invalid >= metrics.length || (invalid > 0 && replicas < specReplicas)) {
      if (first) this.o.condition(hpa, first.condition);
      return { replicas: -1, metricName: '', statuses, error };
    }
    this.o.condition(hpa, {
      type: conditionTypes.scalingActive,
      status: 'True',
      reason: 'ValidMetricFound',
      message: `the HPA was able to successfully calculate a replica count from ${metricName}`,
    });
    return { replicas, metricName, statuses, error };
  }

  /** `validateAndParseSelector`. */
  private validateSelector(hpa: HPA, text: string): Selector {
    const fail = (
      reason: string,
      eventReason: string,
      message: string,
      condition = message,
    ): never => {
      this.o.event(hpa, eventReason, message);
      this.o.condition(hpa, {
        type: conditionTypes.scalingActive,
        status: 'False',
        reason,
        message: condition,
      });
      throw new Error(message);
    };
    if (!text) {
      return fail(
        'InvalidSelector',
        'SelectorRequired',
        'selector is required',
        "the HPA target's scale is missing a selector",
      );
    }
    let selector: Selector;
    try {
      selector = parseLabelSelector(text);
    } catch (err) {
      const m = `couldn't convert selector into a corresponding internal selector object: ${errorMessage(err)}`;
      return fail('InvalidSelector', 'InvalidSelector', m);
    }
    const ns = hpa.metadata?.namespace ?? '';
    const key = `${ns}/${hpa.metadata?.name}`;
    this.selectors.set(key, selector);
    const controlling = new Set<string>();
    for (const pod of this.o.pods(ns, selector)) {
      for (const [other, s] of this.selectors) {
        if (other.startsWith(`${ns}/`) && s.matches(pod.metadata?.labels)) controlling.add(other);
      }
    }
    if (controlling.size > 1) {
      const names = [...controlling].map((k) => k.slice(ns.length + 1)).sort();
      const m = `pods by selector ${text} are controlled by multiple HPAs: [${names.join(' ')}]`;
      return fail('AmbiguousSelector', 'AmbiguousSelector', m);
    }
    return selector;
  }
}
