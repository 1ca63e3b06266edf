/**
 * The replica calculation (`replica_calculator.go`). All metric values are milli-units.
 *
 * Pods of the target are grouped (`groupPods`): pods being deleted or Failed are ignored; Pending
 * pods are unready; pods without a sample are missing; for CPU, a pod is also unready when it has
 * no Ready condition or start time, or — within 5 minutes of starting — is not Ready or its sample
 * predates its readiness change plus the sample window, or — later — has never been Ready since
 * 30 s after starting.
 *
 * Utilization = Σ usage × 100 / Σ requests over pods with samples (integer percent); ratio =
 * utilization / target. With no unready pods on a scale-up and no missing pods: within the
 * tolerance (0.1) → the current count; else ceil(ratio × ready pods). Otherwise missing pods count
 * as using 100 % (or the target when above 100 %) on a scale-down and 0 on a scale-up, unready
 * pods as 0 on a scale-up, and the ratio is recomputed; a result within tolerance, reversing the
 * direction, or moving the count the wrong way keeps the current count; else ceil(new ratio ×
 * pods counted). Plain (non-utilization) metrics follow the same steps with the average value;
 * object and external metrics scale by the ratio of their value to the target.
 */
import type { Pod, Selector } from '../../framework/index.js';
import { errorMessage, isPodReady } from '../util/index.js';
import type { MetricsClient, ObjectReference, PodMetricsInfo } from './metrics.js';
import { groupPods, podRequests, usageRatio, utilizationRatio } from './utilization.js';

export interface ReplicaCalculatorOptions {
  metrics: MetricsClient;
  /** Pods of a namespace matching a selector (the cache). */
  pods: (namespace: string, selector: Selector) => readonly Readonly<Pod>[];
  now: () => number;
  tolerance: number;
  cpuInitializationPeriodMs: number;
  initialReadinessDelayMs: number;
}

export interface ResourceResult {
  replicas: number;
  /** Average utilization in percent of requests (utilization targets only). */
  utilization?: number;
  /** Average usage per pod, milli-units. */
  rawUsage: number;
  timestampMs: number;
}

const noPods = 'no pods returned by selector while calculating replica count';

export class ReplicaCalculator {
  constructor(private readonly o: ReplicaCalculatorOptions) {}

  /** `GetResourceReplicas`: against a utilization target (percent of requests). */
  async resourceReplicas(
    currentReplicas: number,
    targetUtilization: number,
    resource: string,
    namespace: string,
    selector: Selector,
    container: string,
  ): Promise<ResourceResult> {
    const { metrics, timestampMs } = await this.resourceMetrics(
      resource,
      namespace,
      selector,
      container,
    );
    const pods = this.listPods(namespace, selector);
    const g = groupPods(pods, metrics, resource, this.o);
    for (const name of [...g.ignored, ...g.unready]) metrics.delete(name);
    if (metrics.size === 0) {
      throw new Error('did not receive metrics for targeted pods (pods might be unready)');
    }
    const requests = podRequests(pods, container, resource);
    const first = utilizationRatio(metrics, requests, targetUtilization);
    const result = (replicas: number): ResourceResult => ({
      replicas,
      utilization: first.utilization,
      rawUsage: first.rawAverage,
      timestampMs,
    });
    const scaleUpWithUnready = g.unready.size > 0 && first.ratio > 1;
    if (!scaleUpWithUnready && g.missing.size === 0) {
      if (Math.abs(1 - first.ratio) <= this.o.tolerance) return result(currentReplicas);
      return result(Math.ceil(first.ratio * g.ready));
    }
    if (g.missing.size > 0) {
      const fallback = Math.max(100, targetUtilization);
      for (const name of g.missing) {
        const value =
          first.ratio < 1 ? Math.trunc(((requests.get(name) ?? 0) * fallback) / 100) : 0;
        if (first.ratio !== 1) metrics.set(name, { timestampMs: 0, windowMs: 0, value });
      }
    }
    if (scaleUpWithUnready) {
      for (const name of g.unready) metrics.set(name, { timestampMs: 0, windowMs: 0, value: 0 });
    }
    const next = utilizationRatio(metrics, requests, targetUtilization).ratio;
    return result(this.adjusted(currentReplicas, first.ratio, next, metrics.size));
  }

  /** `GetRawResourceReplicas`: against an average value per pod. */
  async rawResourceReplicas(
    currentReplicas: number,
    targetUsage: number,
    resource: string,
    namespace: string,
    selector: Selector,
    container: string,
  ): Promise<ResourceResult> {
    const { metrics, timestampMs } = await this.resourceMetrics(
      resource,
      namespace,
      selector,
      container,
    );
    const r = this.plainMetricReplicas(
      metrics,
      currentReplicas,
      targetUsage,
      namespace,
      selector,
      resource,
    );
    return { replicas: r.replicas, rawUsage: r.usage, timestampMs };
  }

  /** `GetMetricReplicas`: a Pods metric against an average value. */
  async metricReplicas(
    currentReplicas: number,
    targetUsage: number,
    metricName: string,
    namespace: string,
    selector: Selector,
    metricSelector: Selector,
  ): Promise<{ replicas: number; usage: number; timestampMs: number }> {
    let raw;
    try {
      raw = await this.o.metrics.getRawMetric(metricName, namespace, selector, metricSelector);
    } catch (err) {
      throw new Error(`unable to get metric ${metricName}: ${errorMessage(err)}`);
    }
    const r = this.plainMetricReplicas(
      raw.metrics,
      currentReplicas,
      targetUsage,
      namespace,
      selector,
      '',
    );
    return { ...r, timestampMs: raw.timestampMs };
  }

  /** `GetObjectMetricReplicas`: an Object metric against a value. */
  async objectMetricReplicas(
    currentReplicas: number,
    targetUsage: number,
    metricName: string,
    namespace: string,
    object: ObjectReference,
    selector: Selector,
    metricSelector: Selector,
  ): Promise<{ replicas: number; usage: number; timestampMs: number }> {
    const usage = await this.objectMetric(metricName, namespace, object, metricSelector);
    const replicas = this.usageRatioReplicas(
      currentReplicas,
      usage.value / targetUsage,
      namespace,
      selector,
    );
    return { replicas, usage: usage.value, timestampMs: 0 };
  }

  /** `GetObjectPerPodMetricReplicas`: an Object metric against an average value per pod. */
  async objectPerPodMetricReplicas(
    statusReplicas: number,
    targetAverage: number,
    metricName: string,
    namespace: string,
    object: ObjectReference,
    metricSelector: Selector,
  ): Promise<{ replicas: number; usage: number; timestampMs: number }> {
    const usage = await this.objectMetric(metricName, namespace, object, metricSelector);
    return {
      ...this.perPod(statusReplicas, targetAverage, usage.value),
      timestampMs: usage.timestampMs,
    };
  }

  /** `GetExternalMetricReplicas` (value) and `GetExternalPerPodMetricReplicas` (average value). */
  async externalMetricReplicas(
    replicas: { spec: number; status: number },
    target: { value?: number; averageValue?: number },
    metricName: string,
    namespace: string,
    metricSelector: Selector,
    metricSelectorText: string,
    podSelector: Selector,
  ): Promise<{ replicas: number; usage: number; timestampMs: number }> {
    let raw;
    try {
      raw = await this.o.metrics.getExternalMetric(metricName, namespace, metricSelector);
    } catch (err) {
      throw new Error(
        `unable to get external metric ${namespace}/${metricName}/${metricSelectorText}: ${errorMessage(err)}`,
      );
    }
    const usage = raw.values.reduce((a, b) => a + b, 0);
    if (target.averageValue !== undefined) {
      return {
        ...this.perPod(replicas.status, target.averageValue, usage),
        timestampMs: raw.timestampMs,
      };
    }
    const ratio = usage / target.value!;
    return {
      replicas: this.usageRatioReplicas(replicas.spec, ratio, namespace, podSelector),
      usage,
      timestampMs: 0,
    };
  }

  private perPod(statusReplicas: number, targetAverage: number, usage: number) {
    let replicas = statusReplicas;
    const ratio = usage / (targetAverage * replicas);
    if (Math.abs(1 - ratio) > this.o.tolerance) replicas = Math.ceil(usage / targetAverage);
    return { replicas, usage: Math.ceil(usage / statusReplicas) };
  }

  private async objectMetric(
    metricName: string,
    namespace: string,
    object: ObjectReference,
    metricSelector: Selector,
  ) {
    try {
      return await this.o.metrics.getObjectMetric(metricName, namespace, object, metricSelector);
    } catch (err) {
      throw new Error(
        `unable to get metric ${metricName}: ${object.kind} on ${namespace} ${object.name}/${errorMessage(err)}`,
      );
    }
  }

  private async resourceMetrics(
    resource: string,
    namespace: string,
    selector: Selector,
    container: string,
  ) {
    try {
      return await this.o.metrics.getResourceMetric(resource, namespace, selector, container);
    } catch (err) {
      throw new Error(`unable to get metrics for resource ${resource}: ${errorMessage(err)}`);
    }
  }

  private listPods(namespace: string, selector: Selector): readonly Readonly<Pod>[] {
    const pods = this.o.pods(namespace, selector);
    if (pods.length === 0) throw new Error(noPods);
    return pods;
  }

  /** `getUsageRatioReplicaCount`: 0 replicas scale on the ratio alone. */
  private usageRatioReplicas(
    current: number,
    ratio: number,
    namespace: string,
    selector: Selector,
  ): number {
    if (current === 0) return Math.ceil(ratio);
    if (Math.abs(1 - ratio) <= this.o.tolerance) return current;
    let ready: number;
    try {
      ready = this.listPods(namespace, selector).filter(
        (p) => p.status?.phase === 'Running' && isPodReady(p),
      ).length;
    } catch (err) {
      throw new Error(`unable to calculate ready pods: ${errorMessage(err)}`);
    }
    return Math.ceil(ratio * ready);
  }

  /** `calcPlainMetricReplicas`. */
  private plainMetricReplicas(
    metrics: PodMetricsInfo,
    currentReplicas: number,
    targetUsage: number,
    namespace: string,
    selector: Selector,
    resource: string,
  ): { replicas: number; usage: number } {
    const pods = this.listPods(namespace, selector);
    const g = groupPods(pods, metrics, resource, this.o);
    for (const name of [...g.ignored, ...g.unready]) metrics.delete(name);
    if (metrics.size === 0) {
      throw new Error('did not receive metrics for targeted pods (pods might be unready)');
    }
    const first = usageRatio(metrics, targetUsage);
    const scaleUpWithUnready = g.unready.size > 0 && first.ratio > 1;
    if (!scaleUpWithUnready && g.missing.size === 0) {
      if (Math.abs(1 - first.ratio) <= this.o.tolerance)
        return { replicas: currentReplicas, usage: first.usage };
      return { replicas: Math.ceil(first.ratio * g.ready), usage: first.usage };
    }
    for (const name of g.missing) {
      metrics.set(name, { timestampMs: 0, windowMs: 0, value: first.ratio < 1 ? targetUsage : 0 });
    }
    if (scaleUpWithUnready) {
      for (const name of g.unready) metrics.set(name, { timestampMs: 0, windowMs: 0, value: 0 });
    }
    const next = usageRatio(metrics, targetUsage).ratio;
    return {
      replicas: this.adjusted(currentReplicas, first.ratio, next, metrics.size),
      usage: first.usage,
    };
  }

  /** The second pass shared by both calculations; see the module comment. */
  private adjusted(current: number, ratio: number, next: number, counted: number): number {
    if (
      Math.abs(1 - next) <= this.o.tolerance ||
      (ratio < 1 && next > 1) ||
      (ratio > 1 && next < 1)
    ) {
      return current;
    }
    const replicas = Math.ceil(next * counted);
    if ((next < 1 && replicas > current) || (next > 1 && replicas < current)) return current;
    return replicas;
  }
}
