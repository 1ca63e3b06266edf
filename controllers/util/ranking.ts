/**
 * Which pods a controller deletes first (`controller.ActivePodsWithRanks` and `ActivePods` in
 * `controller_utils.go`). Sorting with these comparators puts the pods to delete first at the front.
 *
 * {@link compareForDeletion} (ReplicaSet scale-down), earlier rule wins:
 * 1. unassigned (no `spec.nodeName`) before assigned;
 * 2. phase Pending, then Unknown, then Running;
 * 3. not ready before ready;
 * 4. lower `controller.kubernetes.io/pod-deletion-cost` first;
 * 5. higher rank (more related active pods on the same node) first;
 * 6. both ready: ready more recently first;
 * 7. more container restarts first;
 * 8. created more recently first.
 *
 * Rules 6 and 8 compare `floor(log2(age in ns))` buckets (LogarithmicScaleDown, on by default) and
 * break ties by UID, so equivalent pods are deleted in a pseudo-random but stable order. Pods with
 * an unknown time count as the most recent. {@link compareActivePods} (Job) applies rules 1–3, 6–8
 * without deletion cost, ranks or buckets.
 */
import type { KubernetesObject, Pod } from '../../framework/index.js';
import { podDeletionCostAnnotation } from './defaults.js';
import { isPodReady, maxContainerRestarts, podReadyTime, timeMs } from './pods.js';

const phaseOrdinal: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function phaseOf(pod: Readonly<Pod>): number {
  return phaseOrdinal[pod.status?.phase ?? ''] ?? 0;
}

/**
 * The pod's deletion cost (`GetDeletionCostFromPodAnnotations`): an int32 without a leading `+`
 * or leading zeros; anything else counts as 0.
 */
export function podDeletionCost(pod: Readonly<Pod>): number {
  const value = pod.metadata?.annotations?.[podDeletionCostAnnotation];
  if (value === undefined || !/^(0|-?[1-9][0-9]*)$/.test(value)) return 0;
  const n = Number(value);
  return n >= -2147483648 && n <= 2147483647 ? n : 0;
}

/** `afterOrZero`: t1 is unknown, or after t2 (an unknown t2 loses to a known t1). */
function afterOrZero(t1: number | undefined, t2: number | undefined): boolean {
  if (t1 === undefined || t2 === undefined) return t1 === undefined;
  return t1 > t2;
}

/** `logarithmicRankDiff`: difference of the `floor(log2(age in ns))` buckets of t1 and t2. */
export function logarithmicRankDiff(t1: number, t2: number, nowMs: number): number {
  const rank = (t: number): number => {
    const ns = (nowMs - t) * 1e6;
    return ns > 0 ? Math.floor(Math.log2(ns)) : -1;
  };
  return rank(t1) - rank(t2);
}

/** A pod with its rank (co-located related pods on its node). */
export interface RankedPod<P extends Readonly<Pod> = Readonly<Pod>> {
  pod: P;
  rank: number;
}

function compareTimes(
  a: Readonly<Pod>,
  b: Readonly<Pod>,
  ta: number | undefined,
  tb: number | undefined,
  nowMs: number | undefined,
): number {
  if (nowMs === undefined || ta === undefined || tb === undefined) {
    return afterOrZero(ta, tb) ? -1 : afterOrZero(tb, ta) ? 1 : 0;
  }
  const diff = logarithmicRankDiff(ta, tb, nowMs);
  if (diff !== 0) return diff < 0 ? -1 : 1;
  const ua = a.metadata?.uid ?? '';
  const ub = b.metadata?.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

/** `ActivePodsWithRanks.Less` as a comparator; `nowMs` undefined compares times without buckets. */
export function compareForDeletion(a: RankedPod, b: RankedPod, nowMs?: number): number {
  return compare(a, b, nowMs, true);
}

/** `ActivePods.Less` (used by the Job controller) as a comparator: no cost, ranks or buckets. */
export function compareActivePods(pa: Readonly<Pod>, pb: Readonly<Pod>): number {
  return compare({ pod: pa, rank: 0 }, { pod: pb, rank: 0 }, undefined, false);
}

function compare(a: RankedPod, b: RankedPod, nowMs: number | undefined, useCost: boolean): number {
  const pa = a.pod;
  const pb = b.pod;
  const na = pa.spec?.nodeName ?? '';
  const nb = pb.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  if (phaseOf(pa) !== phaseOf(pb)) return phaseOf(pa) - phaseOf(pb);
  const ra = isPodReady(pa);
  const rb = isPodReady(pb);
  if (ra !== rb) return ra ? 1 : -1;
  if (useCost) {
    const ca = podDeletionCost(pa);
    const cb = podDeletionCost(pb);
    if (ca !== cb) return ca - cb;
  }
  if (a.rank !== b.rank) return b.rank - a.rank;
  if (ra && rb) {
    const ta = podReadyTime(pa);
    const tb = podReadyTime(pb);
    if (ta !== tb) {
      const c = compareTimes(pa, pb, ta, tb, nowMs);
      if (c !== 0) return c;
    }
  }
  const rsa = maxContainerRestarts(pa);
  const rsb = maxContainerRestarts(pb);
  if (rsa !== rsb) return rsb - rsa;
  const ka = timeMs(pa.metadata?.creationTimestamp);
  const kb = timeMs(pb.metadata?.creationTimestamp);
  if (ka !== kb) return compareTimes(pa, pb, ka, kb, nowMs);
  return 0;
}

/**
 * `getPodsRankedByRelatedPodsOnSameNode`: ranks each pod by how many active pods of `related`
 * (pods of ReplicaSets with the same owner) run on its node.
 */
export function rankByRelatedPodsOnSameNode<P extends Readonly<Pod>>(
  pods: readonly P[],
  related: readonly Readonly<Pod>[],
  isActive: (p: Readonly<Pod>) => boolean,
): RankedPod<P>[] {
  const onNode = new Map<string, number>();
  for (const p of related) {
    if (!isActive(p)) continue;
    const node = p.spec?.nodeName ?? '';
    onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  return pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
}

/** Oldest first by `creationTimestamp` (unknown counts as the epoch), names breaking ties. */
export function compareByCreation(
  a: Readonly<KubernetesObject>,
  b: Readonly<KubernetesObject>,
): number {
  const ta = timeMs(a.metadata?.creationTimestamp) ?? 0;
  const tb = timeMs(b.metadata?.creationTimestamp) ?? 0;
  if (ta !== tb) return ta - tb;
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}
