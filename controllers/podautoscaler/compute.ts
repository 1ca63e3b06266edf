/**
 * One metric of an HPA (`computeReplicasForMetric` and the `computeStatusFor*Metric` helpers of
 * `horizontal.go`): its replica proposal, its name for events (`cpu resource utilization
 * (percentage of request)`, `pods metric <name>`, …) and its `currentMetrics` entry. A failure
 * becomes a {@link MetricError} carrying the ScalingActive=False condition upstream sets —
 * reason `FailedGetResourceMetric`, `FailedGetContainerResourceMetric`, `FailedGetPodsMetric`,
 * `FailedGetObjectMetric`, `FailedGetExternalMetric` or `InvalidMetricSourceType`, message `the
 * HPA was unable to compute the replica count: <error>` — and a Warning event of that reason.
 */
import {
  labelSelectorFromObject,
  type HorizontalPodAutoscaler,
  type Selector,
} from '../../framework/index.js';
import { Quantity, parseQuantity } from '../../common/index.js';
import { errorMessage } from '../util/index.js';
import { conditionTypes } from './defaults.js';
import type { ConditionValue } from './conditions.js';
import type { ReplicaCalculator } from './replicas.js';

type Spec = NonNullable<HorizontalPodAutoscaler['spec']>;
export type MetricSpec = NonNullable<Spec['metrics']>[number];
export type MetricStatus = NonNullable<
  NonNullable<HorizontalPodAutoscaler['status']>['currentMetrics']
>[number];
type MetricTarget = NonNullable<NonNullable<MetricSpec['resource']>['target']>;

export class MetricError extends Error {
  constructor(
    message: string,
    readonly condition: ConditionValue,
    /** The error recorded in the Warning event (before the outer wording was added). */
    readonly eventMessage: string,
  ) {
    super(message);
  }
}

export interface MetricProposal {
  replicas: number;
  metricName: string;
  timestampMs: number;
  status: MetricStatus;
}

export interface ComputeContext {
  hpa: HorizontalPodAutoscaler;
  calc: ReplicaCalculator;
  specReplicas: number;
  statusReplicas: number;
  selector: Selector;
}

const milliOf = (q: unknown) => Number(parseQuantity(String(q)).milliValue());
const quantity = (milli: number) => Quantity.fromMilli(milli).toString();

/** `getUnableComputeReplicaCountCondition` as an error. */
function unable(reason: string, err: unknown, outer: (m: string) => string): MetricError {
  const m = errorMessage(err);
  return new MetricError(
    outer(m),
    {
      type: conditionTypes.scalingActive,
      status: 'False',
      reason,
      message: `the HPA was unable to compute the replica count: ${m}`,
    },
    m,
  );
}

/** `computeReplicasForMetric`. */
export async function computeReplicasForMetric(
  ctx: ComputeContext,
  spec: MetricSpec,
): Promise<MetricProposal> {
  switch (spec.type) {
    case 'Resource':
      return resourceMetric(
        ctx,
        spec.resource!.name,
        spec.resource!.target,
        '',
        (m) => `failed to get ${spec.resource!.name} resource metric value: ${m}`,
      );
    case 'ContainerResource':
      return resourceMetric(
        ctx,
        spec.containerResource!.name,
        spec.containerResource!.target,
        spec.containerResource!.container,
        (m) => `failed to get ${spec.containerResource!.container} container metric value: ${m}`,
      );
    case 'Pods':
      return podsMetric(ctx, spec);
    case 'Object':
      return objectMetric(ctx, spec);
    case 'External':
      return externalMetric(ctx, spec);
    default: {
      const err = new Error(`unknown metric source type "${spec.type}"`);
      throw unable('InvalidMetricSourceType', err, (m) => m);
    }
  }
}

/** `computeStatusForResourceMetricGeneric`. */
async function resourceMetric(
  ctx: ComputeContext,
  resource: string,
  target: MetricTarget,
  container: string,
  outer: (m: string) => string,
): Promise<MetricProposal> {
  const reason = container ? 'FailedGetContainerResourceMetric' : 'FailedGetResourceMetric';
  const ns = ctx.hpa.metadata?.namespace ?? '';
  const status = (current: object): MetricStatus =>
    container
      ? { type: 'ContainerResource', containerResource: { name: resource, container, current } }
      : { type: 'Resource', resource: { name: resource, current } };
  try {
    if (target.averageValue !== undefined && target.averageValue !== null) {
      let r;
      try {
        r = await ctx.calc.rawResourceReplicas(
          ctx.specReplicas,
          milliOf(target.averageValue),
          resource,
          ns,
          ctx.selector,
          container,
        );
      } catch (err) {
        throw new Error(`failed to get ${resource} usage: ${errorMessage(err)}`);
      }
      return {
        replicas: r.replicas,
        metricName: `${resource} resource`,
        timestampMs: r.timestampMs,
        status: status({ averageValue: quantity(r.rawUsage) }),
      };
    }
    if (target.averageUtilization === undefined || target.averageUtilization === null) {
      throw new Error(
        'invalid resource metric source: neither an average utilization target nor an average value (usage) target was set',
      );
    }
    let r;
    try {
      r = await ctx.calc.resourceReplicas(
        ctx.specReplicas,
        target.averageUtilization,
        resource,
        ns,
        ctx.selector,
        container,
      );
    } catch (err) {
      throw new Error(`failed to get ${resource} utilization: ${errorMessage(err)}`);
    }
    return {
      replicas: r.replicas,
      metricName: container
        ? `${resource} container resource utilization (percentage of request)`
        : `${resource} resource utilization (percentage of request)`,
      timestampMs: r.timestampMs,
      status: status({ averageUtilization: r.utilization, averageValue: quantity(r.rawUsage) }),
    };
  } catch (err) {
    throw unable(reason, err, outer);
  }
}

function metricSelector(selector: unknown): Selector {
  return labelSelectorFromObject((selector ?? {}) as never);
}

/** `computeStatusForPodsMetric`. */
async function podsMetric(ctx: ComputeContext, spec: MetricSpec): Promise<MetricProposal> {
  const pods = spec.pods!;
  const outer = (m: string) => `failed to get pods metric value: ${m}`;
  try {
    const r = await ctx.calc.metricReplicas(
      ctx.specReplicas,
      milliOf(pods.target.averageValue),
      pods.metric.name,
      ctx.hpa.metadata?.namespace ?? '',
      ctx.selector,
      metricSelector(pods.metric.selector),
    );
    return {
      replicas: r.replicas,
      metricName: `pods metric ${pods.metric.name}`,
      timestampMs: r.timestampMs,
      status: {
        type: 'Pods',
        pods: { metric: pods.metric, current: { averageValue: quantity(r.usage) } },
      },
    };
  } catch (err) {
    throw unable('FailedGetPodsMetric', err, outer);
  }
}

/** `computeStatusForObjectMetric`. */
async function objectMetric(ctx: ComputeContext, spec: MetricSpec): Promise<MetricProposal> {
  const o = spec.object!;
  const ns = ctx.hpa.metadata?.namespace ?? '';
  const outer = (m: string) => `failed to get object metric value: ${m}`;
  const status = (current: object): MetricStatus => ({
    type: 'Object',
    object: { describedObject: o.describedObject, metric: o.metric, current },
  });
  let sel: Selector;
  try {
    sel = metricSelector(o.metric.selector);
  } catch (err) {
    throw unable('FailedGetObjectMetric', err, outer);
  }
  try {
    if (o.target.type === 'Value' && o.target.value !== undefined && o.target.value !== null) {
      const r = await ctx.calc.objectMetricReplicas(
        ctx.specReplicas,
        milliOf(o.target.value),
        o.metric.name,
        ns,
        o.describedObject,
        ctx.selector,
        sel,
      );
      return {
        replicas: r.replicas,
        metricName: `${o.describedObject.kind} metric ${o.metric.name}`,
        timestampMs: r.timestampMs,
        status: status({ value: quantity(r.usage) }),
      };
    }
    if (
      o.target.type === 'AverageValue' &&
      o.target.averageValue !== undefined &&
      o.target.averageValue !== null
    ) {
      let r;
      try {
        r = await ctx.calc.objectPerPodMetricReplicas(
          ctx.statusReplicas,
          milliOf(o.target.averageValue),
          o.metric.name,
          ns,
          o.describedObject,
          sel,
        );
      } catch (err) {
        throw new Error(`failed to get ${o.metric.name} object metric: ${errorMessage(err)}`);
      }
      return {
        replicas: r.replicas,
        metricName: `external metric ${o.metric.name}(${JSON.stringify(o.metric.selector ?? null)})`,
        timestampMs: r.timestampMs,
        status: status({ averageValue: quantity(r.usage) }),
      };
    }
    throw new Error(
      'invalid object metric source: neither a value target nor an average value target was set',
    );
  } catch (err) {
    throw unable('FailedGetObjectMetric', err, outer);
  }
}

/** `computeStatusForExternalMetric`. */
async function externalMetric(ctx: ComputeContext, spec: MetricSpec): Promise<MetricProposal> {
  const e = spec.external!;
  const ns = ctx.hpa.metadata?.namespace ?? '';
  const selectorText = JSON.stringify(e.metric.selector ?? null);
  const name = `external metric ${e.metric.name}(${selectorText})`;
  const status = (current: object): MetricStatus => ({
    type: 'External',
    external: { metric: e.metric, current },
  });
  const perPod = e.target.averageValue !== undefined && e.target.averageValue !== null;
  const byValue = e.target.value !== undefined && e.target.value !== null;
  try {
    if (!perPod && !byValue) {
      throw new Error(
        'invalid external metric source: neither a value target nor an average value target was set',
      );
    }
    let r;
    try {
      r = await ctx.calc.externalMetricReplicas(
        { spec: ctx.specReplicas, status: ctx.statusReplicas },
        perPod
          ? { averageValue: milliOf(e.target.averageValue) }
          : { value: milliOf(e.target.value) },
        e.metric.name,
        ns,
        metricSelector(e.metric.selector),
        selectorText,
        ctx.selector,
      );
    } catch (err) {
      throw new Error(
        perPod
          ? `failed to get ${e.metric.name} external metric: ${errorMessage(err)}`
          : `failed to get external metric ${e.metric.name}: ${errorMessage(err)}`,
      );
    }
    return {
      replicas: r.replicas,
      metricName: name,
      timestampMs: r.timestampMs,
      status: status(perPod ? { averageValue: quantity(r.usage) } : { value: quantity(r.usage) }),
    };
  } catch (err) {
    throw unable(
      'FailedGetExternalMetric',
      err,
      (m) => `failed to get ${e.metric.name} external metric value: ${m}`,
    );
  }
}
