/**
 * Pod predicates every workload controller uses (`pkg/api/v1/pod`, `controller_utils.go`). All take
 * the pod as the API server sends it and never throw; times are RFC 3339 strings, compared as
 * instants.
 */
import type { Pod } from '../../framework/index.js';

/** Milliseconds since the epoch of an RFC 3339 time; undefined when missing or unparsable. */
export function timeMs(t: string | undefined | null): number | undefined {
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `namespace/name` (`controller.PodKey`). */
export function podKey(pod: Readonly<Pod>): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

/** `IsPodActive`: not Succeeded, not Failed, not being deleted. */
export function isPodActive(pod: Readonly<Pod>): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata?.deletionTimestamp;
}

/** `IsPodTerminal`: Succeeded or Failed. */
export function isPodTerminal(pod: Readonly<Pod>): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** `IsPodTerminating`: being deleted and not yet terminal. */
export function isPodTerminating(pod: Readonly<Pod>): boolean {
  return !isPodTerminal(pod) && !!pod.metadata?.deletionTimestamp;
}

/** `FilterActivePods`. */
export function filterActivePods<P extends Readonly<Pod>>(pods: readonly P[]): P[] {
  return pods.filter((p) => isPodActive(p));
}

/** `CountTerminatingPods`. */
export function countTerminatingPods(pods: readonly Readonly<Pod>[]): number {
  let n = 0;
  for (const p of pods) if (isPodTerminating(p)) n++;
  return n;
}

/** The pod's Ready condition, if any. */
export function podReadyCondition(pod: Readonly<Pod>) {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** `IsPodReady`: the Ready condition is True. */
export function isPodReady(pod: Readonly<Pod>): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/**
 * `IsPodAvailable`: ready, and ready for longer than `minReadySeconds` (strictly: ready since
 * before `now - minReadySeconds`). With `minReadySeconds` 0 every ready pod is available.
 */
export function isPodAvailable(
  pod: Readonly<Pod>,
  minReadySeconds: number,
  nowMs: number,
): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const since = timeMs(podReadyCondition(pod)?.lastTransitionTime);
  return since !== undefined && since + minReadySeconds * 1000 < nowMs;
}

/** When the pod became ready (`podReadyTime`): undefined when not ready or unknown. */
export function podReadyTime(pod: Readonly<Pod>): number | undefined {
  if (!isPodReady(pod)) return undefined;
  return timeMs(podReadyCondition(pod)?.lastTransitionTime);
}

/** The highest restart count of the pod's containers (`maxContainerRestarts`). */
export function maxContainerRestarts(pod: Readonly<Pod>): number {
  let max = 0;
  for (const c of pod.status?.containerStatuses ?? []) max = Math.max(max, c.restartCount ?? 0);
  return max;
}
