/**
 * The pieces of the replica calculation that work on pods (`replica_calculator.go`,
 * `metrics/utilization.go`): grouping pods into ready, unready, missing and ignored, summing
 * their requests, and the utilization and usage ratios. Pure.
 */
import type { Pod } from '../../framework/index.js';
import { parseQuantity } from '../../common/index.js';
import { podReadyCondition, timeMs } from '../util/index.js';
import type { PodMetricsInfo } from './metrics.js';

/** What {@link groupPods} needs: the clock and the CPU initialization settings. */
export interface GroupOptions {
  now: () => number;
  cpuInitializationPeriodMs: number;
  initialReadinessDelayMs: number;
}

/** `groupPods`; see `replicas.ts`. */
export function groupPods(
  pods: readonly Readonly<Pod>[],
  metrics: PodMetricsInfo,
  resource: string,
  o: GroupOptions,
) {
  const missing = new Set<string>();
  const unready = new Set<string>();
  const ignored = new Set<string>();
  let ready = 0;
  const now = o.now();
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '';
    if (pod.metadata?.deletionTimestamp || pod.status?.phase === 'Failed') {
      ignored.add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      unready.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (!metric) {
      missing.add(name);
      continue;
    }
    if (resource === 'cpu') {
      const cond = podReadyCondition(pod);
      const start = timeMs(pod.status?.startTime);
      let isUnready: boolean;
      if (!cond || start === undefined) {
        isUnready = true;
      } else {
        const transition = timeMs(cond.lastTransitionTime) ?? 0;
        if (start + o.cpuInitializationPeriodMs > now) {
          isUnready = cond.status === 'False' || metric.timestampMs < transition + metric.windowMs;
        } else {
          isUnready = cond.status === 'False' && start + o.initialReadinessDelayMs > transition;
        }
      }
      if (isUnready) {
        unready.add(name);
        continue;
      }
    }
    ready++;
  }
  return { ready, unready, missing, ignored };
}

/** `calculatePodRequests`: milli-requests per pod (regular and sidecar containers). */
export function podRequests(
  pods: readonly Readonly<Pod>[],
  container: string,
  resource: string,
): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    const containers = [
      ...(pod.spec?.containers ?? []),
      ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'),
    ];
    let sum = 0;
    for (const c of containers) {
      if (container && container !== c.name) continue;
      const request = c.resources?.requests?.[resource];
      if (request === undefined) {
        throw new Error(
          `missing request for ${resource} in container ${c.name} of Pod ${pod.metadata?.name}`,
        );
      }
      sum += Number(parseQuantity(String(request)).milliValue());
    }
    requests.set(pod.metadata?.name ?? '', sum);
  }
  return requests;
}

/** `GetResourceUtilizationRatio`. */
export function utilizationRatio(
  metrics: PodMetricsInfo,
  requests: ReadonlyMap<string, number>,
  targetUtilization: number,
): { ratio: number; utilization: number; rawAverage: number } {
  let usage = 0;
  let requested = 0;
  let entries = 0;
  for (const [name, m] of metrics) {
    const r = requests.get(name);
    if (r === undefined) continue;
    usage += m.value;
    requested += r;
    entries++;
  }
  if (requested === 0) throw new Error('no metrics returned matched known pods');
  const utilization = Math.trunc((usage * 100) / requested);
  return {
    ratio: utilization / targetUtilization,
    utilization,
    rawAverage: Math.trunc(usage / entries),
  };
}

/** `GetMetricUsageRatio`. */
export function usageRatio(
  metrics: PodMetricsInfo,
  targetUsage: number,
): { ratio: number; usage: number } {
  let total = 0;
  for (const m of metrics.values()) total += m.value;
  const usage = Math.trunc(total / metrics.size);
  return { ratio: usage / targetUsage, usage };
}
