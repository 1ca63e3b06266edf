/**
 * Where the HPA gets its numbers (`pkg/controller/podautoscaler/metrics`). {@link MetricsClient}
 * is the contract; {@link RestMetricsClient} reads the aggregated metrics APIs through the API
 * server, as kube-controller-manager does:
 *
 * - resource metrics: `metrics.k8s.io/v1beta1` PodMetrics of the selected pods (usage summed over
 *   containers in milli-units; a pod missing the resource in a container is left out);
 * - pods and object metrics: `custom.metrics.k8s.io/v1beta2`;
 * - external metrics: `external.metrics.k8s.io/v1beta1`.
 *
 * kuberx's API server serves none of these APIs (no metrics-server, no aggregation), so against
 * it every metric fails with upstream's messages — e.g. `unable to fetch metrics from resource
 * metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)` —
 * and the HPA reports `ScalingActive=False`. Against a cluster serving them, they work. Tests and
 * embedders may pass their own {@link MetricsClient}.
 */
import { isNotFound, StatusError, type ApiClient, type Selector } from '../../framework/index.js';
import { parseQuantity } from '../../common/index.js';

/** One pod's sample: value in milli-units, its time and window. */
export interface PodMetric {
  timestampMs: number;
  windowMs: number;
  value: number;
}

/** Samples by pod name (`PodMetricsInfo`). */
export type PodMetricsInfo = Map<string, PodMetric>;

/** A reference to the object an Object metric describes (`CrossVersionObjectReference`). */
export interface ObjectReference {
  apiVersion?: string;
  kind: string;
  name: string;
}

export interface MetricsClient {
  /** Resource usage per pod (all containers, or `container` only). */
  getResourceMetric(
    resource: string,
    namespace: string,
    selector: Selector,
    container: string,
  ): Promise<{ metrics: PodMetricsInfo; timestampMs: number }>;
  /** A custom metric per pod. */
  getRawMetric(
    metricName: string,
    namespace: string,
    selector: Selector,
    metricSelector: Selector,
  ): Promise<{ metrics: PodMetricsInfo; timestampMs: number }>;
  /** A custom metric of one object, in milli-units. */
  getObjectMetric(
    metricName: string,
    namespace: string,
    object: ObjectReference,
    metricSelector: Selector,
  ): Promise<{ value: number; timestampMs: number }>;
  /** An external metric's values, in milli-units. */
  getExternalMetric(
    metricName: string,
    namespace: string,
    selector: Selector,
  ): Promise<{ values: number[]; timestampMs: number }>;
}

interface MetricValue {
  describedObject?: { name?: string };
  timestamp?: string;
  windowSeconds?: number;
  value?: string;
}

const milli = (q: string | undefined): number => Number(parseQuantity(q ?? '0').milliValue());
const time = (t: string | undefined): number => (t ? Date.parse(t) : 0);

/** Go's `time.ParseDuration` for the simple forms metrics-server writes (`15s`, `1m0s`, `500ms`). */
export function parseDurationMs(d: string | undefined): number {
  if (!d) return 0;
  const units: Record<string, number> = {
    h: 3_600_000,
    m: 60_000,
    s: 1000,
    ms: 1,
    us: 1e-3,
    µs: 1e-3,
    ns: 1e-6,
  };
  let total = 0;
  for (const [, n, u] of d.matchAll(/([0-9.]+)(ms|us|µs|ns|h|m|s)/g))
    total += Number(n) * units[u!]!;
  return total;
}

/** The clientset's wording of an error, with client-go's 404 text for an absent API. */
function describe(err: unknown, verb: string, what: string): string {
  if (isNotFound(err) && err instanceof StatusError && !err.status.details?.name) {
    return `the server could not find the requested resource (${verb} ${what})`;
  }
  return err instanceof Error ? err.message : String(err);
}

export class RestMetricsClient implements MetricsClient {
  constructor(private readonly api: ApiClient) {}

  async getResourceMetric(
    resource: string,
    namespace: string,
    selector: Selector,
    container: string,
  ) {
    let list: {
      items?: Array<{
        metadata?: { name?: string; namespace?: string };
        timestamp?: string;
        window?: string;
        containers?: Array<{ name: string; usage?: Record<string, string> }>;
      }>;
    };
    try {
      list = await this.api.rest.json({
        method: 'GET',
        path: `/apis/metrics.k8s.io/v1beta1/namespaces/${encodeURIComponent(namespace)}/pods`,
        query: { labelSelector: selector.toString() || undefined },
      });
    } catch (err) {
      throw new Error(
        `unable to fetch metrics from resource metrics API: ${describe(err, 'get', 'pods.metrics.k8s.io')}`,
      );
    }
    const items = list.items ?? [];
    if (items.length === 0) throw new Error('no metrics returned from resource metrics API');
    const metrics: PodMetricsInfo = new Map();
    for (const m of items) {
      const name = m.metadata?.name ?? '';
      const sample = { timestampMs: time(m.timestamp), windowMs: parseDurationMs(m.window) };
      if (container) {
        const c = (m.containers ?? []).find((x) => x.name === container);
        if (!c) {
          throw new Error(
            `failed to get container metrics: container ${container} not present in metrics for pod ${m.metadata?.namespace}/${name}`,
          );
        }
        if (c.usage?.[resource] !== undefined)
          metrics.set(name, { ...sample, value: milli(c.usage[resource]) });
        continue;
      }
      const containers = m.containers ?? [];
      if (containers.length === 0 || containers.some((c) => c.usage?.[resource] === undefined))
        continue;
      const value = containers.reduce((sum, c) => sum + milli(c.usage![resource]), 0);
      metrics.set(name, { ...sample, value });
    }
    return { metrics, timestampMs: time(items[0]!.timestamp) };
  }

  async getRawMetric(
    metricName: string,
    namespace: string,
    selector: Selector,
    metricSelector: Selector,
  ) {
    const values = await this.custom(
      `/namespaces/${encodeURIComponent(namespace)}/pods/*/${encodeURIComponent(metricName)}`,
      {
        labelSelector: selector.toString() || undefined,
        metricLabelSelector: metricSelector.toString() || undefined,
      },
      `pods.custom.metrics.k8s.io`,
    );
    if (values.length === 0) throw new Error('no metrics returned from custom metrics API');
    const metrics: PodMetricsInfo = new Map();
    for (const v of values) {
      metrics.set(v.describedObject?.name ?? '', {
        timestampMs: time(v.timestamp),
        windowMs: (v.windowSeconds ?? 0) * 1000,
        value: milli(v.value),
      });
    }
    return { metrics, timestampMs: time(values[0]!.timestamp) };
  }

  async getObjectMetric(
    metricName: string,
    namespace: string,
    object: ObjectReference,
    metricSelector: Selector,
  ) {
    const kind = await this.api.mapper.mapping({
      group: object.apiVersion?.includes('/') ? object.apiVersion.split('/')[0]! : '',
      version: object.apiVersion?.split('/').at(-1) ?? 'v1',
      kind: object.kind,
    });
    const path = kind.namespaced
      ? `/namespaces/${encodeURIComponent(namespace)}/${kind.plural}/${encodeURIComponent(object.name)}/${encodeURIComponent(metricName)}`
      : `/${kind.plural}/${encodeURIComponent(object.name)}/${encodeURIComponent(metricName)}`;
    const values = await this.custom(
      path,
      { metricLabelSelector: metricSelector.toString() || undefined },
      `${kind.plural}.custom.metrics.k8s.io`,
    );
    if (values.length === 0) throw new Error('no metrics returned from custom metrics API');
    return { value: milli(values[0]!.value), timestampMs: time(values[0]!.timestamp) };
  }

  async getExternalMetric(metricName: string, namespace: string, selector: Selector) {
    let list: { items?: Array<{ timestamp?: string; value?: string }> };
    try {
      list = await this.api.rest.json({
        method: 'GET',
        path: `/apis/external.metrics.k8s.io/v1beta1/namespaces/${encodeURIComponent(namespace)}/${encodeURIComponent(metricName)}`,
        query: { labelSelector: selector.toString() || undefined },
      });
    } catch (err) {
      throw new Error(
        `unable to fetch metrics from external metrics API: ${describe(err, 'get', `${metricName}.external.metrics.k8s.io`)}`,
      );
    }
    const items = list.items ?? [];
    if (items.length === 0) throw new Error('no metrics returned from external metrics API');
    return { values: items.map((i) => milli(i.value)), timestampMs: time(items[0]!.timestamp) };
  }

  private async custom(
    path: string,
    query: Record<string, string | undefined>,
    what: string,
  ): Promise<MetricValue[]> {
    try {
      const list = await this.api.rest.json<{ items?: MetricValue[] }>({
        method: 'GET',
        path: `/apis/custom.metrics.k8s.io/v1beta2${path}`,
        query,
      });
      return list.items ?? [];
    } catch (err) {
      throw new Error(
        `unable to fetch metrics from custom metrics API: ${describe(err, 'get', what)}`,
      );
    }
  }
}
