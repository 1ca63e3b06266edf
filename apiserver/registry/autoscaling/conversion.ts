/**
 * autoscaling/v1 ⇄ autoscaling/v2 HorizontalPodAutoscaler conversion (pkg/apis/autoscaling/v1
 * conversion.go). v2 is the storage version. v1 carries only a CPU utilization target; the other
 * v2 metrics, current metrics, conditions and behavior travel in the `autoscaling.alpha.kubernetes.io/*`
 * annotations, as upstream does, so v2 → v1 → v2 is lossless.
 */
import type { KubeObject } from '../types.js';

type Obj = Record<string, unknown>;

/** Annotation keys used by upstream's v1 conversion. */
export const hpaAnnotations = {
  metrics: 'autoscaling.alpha.kubernetes.io/metrics',
  currentMetrics: 'autoscaling.alpha.kubernetes.io/current-metrics',
  conditions: 'autoscaling.alpha.kubernetes.io/conditions',
  behavior: 'autoscaling.alpha.kubernetes.io/behavior',
} as const;

function isCPUUtilization(m: Obj): boolean {
  const r = m.resource as Obj | undefined;
  return (
    m.type === 'Resource' &&
    r?.name === 'cpu' &&
    (r.target as Obj | undefined)?.type === 'Utilization'
  );
}

/** autoscaling/v2 → autoscaling/v1. */
export function hpaV2ToV1(obj: KubeObject): KubeObject {
  const out: KubeObject = structuredClone(obj);
  out.apiVersion = 'autoscaling/v1';
  const spec = ((out.spec as Obj | undefined) ?? {}) as Obj;
  const status = (out.status as Obj | undefined) ?? undefined;
  const annotations: Record<string, string> = { ...(out.metadata?.annotations ?? {}) };
  const metrics = (spec.metrics as Obj[] | undefined) ?? [];
  const others: Obj[] = [];
  for (const m of metrics) {
    if (isCPUUtilization(m) && spec.targetCPUUtilizationPercentage === undefined) {
      spec.targetCPUUtilizationPercentage = ((m.resource as Obj).target as Obj).averageUtilization;
    } else {
      others.push(m);
    }
  }
  if (others.length) annotations[hpaAnnotations.metrics] = JSON.stringify(others);
  if (spec.behavior) annotations[hpaAnnotations.behavior] = JSON.stringify(spec.behavior);
  delete spec.metrics;
  delete spec.behavior;
  if (status) {
    const current = (status.currentMetrics as Obj[] | undefined) ?? [];
    const otherCurrent: Obj[] = [];
    for (const m of current) {
      const r = m.resource as Obj | undefined;
      const util = (r?.current as Obj | undefined)?.averageUtilization;
      if (
        m.type === 'Resource' &&
        r?.name === 'cpu' &&
        util !== undefined &&
        status.currentCPUUtilizationPercentage === undefined
      ) {
        status.currentCPUUtilizationPercentage = util;
      } else {
        otherCurrent.push(m);
      }
    }
    if (otherCurrent.length)
      annotations[hpaAnnotations.currentMetrics] = JSON.stringify(otherCurrent);
    if (Array.isArray(status.conditions) && status.conditions.length) {
      annotations[hpaAnnotations.conditions] = JSON.stringify(status.conditions);
    }
    delete status.currentMetrics;
    delete status.conditions;
  }
  if (Object.keys(annotations).length) (out.metadata ??= {}).annotations = annotations;
  return out;
}

/** autoscaling/v1 → autoscaling/v2. */
export function hpaV1ToV2(obj: KubeObject): KubeObject {
  const out: KubeObject = structuredClone(obj);
  out.apiVersion = 'autoscaling/v2';
  const spec = ((out.spec as Obj | undefined) ?? {}) as Obj;
  const annotations = { ...(out.metadata?.annotations ?? {}) };
  const parse = (key: string): unknown => {
    const raw = annotations[key];
    delete annotations[key];
    if (raw === undefined) return undefined;
    try {
      return JSON.parse(raw);
    } catch {
      return undefined;
    }
  };
  const metrics: Obj[] = [];
  if (
    spec.targetCPUUtilizationPercentage !== undefined &&
    spec.targetCPUUtilizationPercentage !== null
  ) {
    metrics.push({
      type: 'Resource',
      resource: {
        name: 'cpu',
        target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage },
      },
    });
  }
  const extra = parse(hpaAnnotations.metrics);
  if (Array.isArray(extra)) metrics.push(...(extra as Obj[]));
  delete spec.targetCPUUtilizationPercentage;
  if (metrics.length) spec.metrics = metrics;
  const behavior = parse(hpaAnnotations.behavior);
  if (behavior) spec.behavior = behavior;
  const status = out.status as Obj | undefined;
  const currentExtra = parse(hpaAnnotations.currentMetrics);
  const conditions = parse(hpaAnnotations.conditions);
  if (status) {
    const current: Obj[] = [];
    if (
      status.currentCPUUtilizationPercentage !== undefined &&
      status.currentCPUUtilizationPercentage !== null
    ) {
      current.push({
        type: 'Resource',
        resource: {
          name: 'cpu',
          current: { averageUtilization: status.currentCPUUtilizationPercentage },
        },
      });
    }
    if (Array.isArray(currentExtra)) current.push(...(currentExtra as Obj[]));
    delete status.currentCPUUtilizationPercentage;
    if (current.length) status.currentMetrics = current;
    if (Array.isArray(conditions)) status.conditions = conditions;
  }
  if (out.metadata) {
    if (Object.keys(annotations).length) out.metadata.annotations = annotations;
    else delete out.metadata.annotations;
  }
  return out;
}
