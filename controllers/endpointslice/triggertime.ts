/**
 * The last-change trigger time of endpoints (upstream `TriggerTimeTracker`): the earliest time at
 * which something that changed since the previous sync of a service happened — a pod's Ready
 * condition transition or the service's creation. The Endpoints and EndpointSlice controllers
 * write it as the `endpoints.kubernetes.io/last-change-trigger-time` annotation.
 *
 * One tracker per controller; calls for one service are never concurrent (the work queue
 * guarantees it).
 */
import type { Pod, Service } from '../../framework/index.js';
import { timeMs } from '../util/pods.js';

interface ServiceState {
  podTriggerTimes: Map<string, number>;
  serviceTriggerTime: number;
}

export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();

  /**
   * The trigger time (ms since the epoch) for this sync of `service`, or undefined when nothing
   * changed; a service seen for the first time answers its creation time.
   */
  compute(service: Readonly<Service>, pods: readonly Readonly<Pod>[]): number | undefined {
    const key = `${service.metadata?.namespace}/${service.metadata?.name}`;
    const state = this.states.get(key);
    let min: number | undefined;
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const t = podTriggerTime(pod);
      if (t === undefined) continue;
      const name = pod.metadata?.name ?? '';
      podTimes.set(name, t);
      if (t > (state?.podTriggerTimes.get(name) ?? -Infinity)) min = earliest(min, t);
    }
    const serviceTime = timeMs(service.metadata?.creationTimestamp) ?? 0;
    if (serviceTime > (state?.serviceTriggerTime ?? -Infinity)) min = earliest(min, serviceTime);
    this.states.set(key, { podTriggerTimes: podTimes, serviceTriggerTime: serviceTime });
    if (!state) return timeMs(service.metadata?.creationTimestamp);
    return min;
  }

  /** Forgets a deleted service. */
  deleteService(namespace: string, name: string): void {
    this.states.delete(`${namespace}/${name}`);
  }
}

function earliest(current: number | undefined, t: number): number {
  return current === undefined || t < current ? t : current;
}

function podTriggerTime(pod: Readonly<Pod>): number | undefined {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  return timeMs(ready?.lastTransitionTime);
}

/** Go's `time.RFC3339Nano` of a UTC instant (trailing zero fractions dropped). */
export function formatTriggerTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.000Z$/, 'Z')
    .replace(/(\.\d*?)0+Z$/, '$1Z');
}
