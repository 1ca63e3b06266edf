/**
 * PodDisruptionBudget arithmetic (`disruption.go`), pure:
 *
 * - {@link desiredHealthy}: `maxUnavailable` → expected − maxUnavailable (percentages of the
 *   expected count rounded up, floor 0); `minAvailable` as an integer → itself, with the number of
 *   selected pods as the expected count; as a percentage → of the expected count, rounded up. The
 *   expected count of the other cases is the sum of the scales of the pods' controllers.
 * - {@link buildDisruptedPodMap}: entries of `status.disruptedPods` for pods still there and not
 *   being deleted, kept for 2 minutes after the eviction; older ones are dropped (reported as
 *   expected-but-not-deleted) and the earliest expiry of the kept ones is returned for a recheck.
 * - {@link countHealthyPods}: Ready pods, not being deleted, not freshly disrupted.
 * - {@link disruptionsAllowed}: currentHealthy − desiredHealthy, 0 when negative or when no pod is
 *   expected (a PDB selecting nothing yet must be safe when its first pods appear).
 * - {@link statusUpToDate}: nothing to write (`ConditionsAreUpToDate` and equal counts).
 */
import type { Pod, PodDisruptionBudget } from '../../framework/index.js';
import {
  getScaledValueFromIntOrPercent,
  isPodReady,
  semanticEqual,
  timeMs,
} from '../util/index.js';
import { deletionTimeoutMs, disruptionAllowedCondition, reasons } from './defaults.js';

export type PDB = Readonly<PodDisruptionBudget>;
export type PDBStatus = NonNullable<PodDisruptionBudget['status']>;
type Condition = NonNullable<PDBStatus['conditions']>[number];

/**
 * `getExpectedPodCount`: `expectedScale` is called only when the spec needs the controllers'
 * scale (percentages, maxUnavailable); it may throw.
 */
export async function desiredHealthy(
  pdb: PDB,
  pods: readonly Readonly<Pod>[],
  expectedScale: () => Promise<number>,
): Promise<{ expectedCount: number; desiredHealthy: number }> {
  const { maxUnavailable, minAvailable } = pdb.spec ?? {};
  if (maxUnavailable !== undefined && maxUnavailable !== null) {
    const expectedCount = await expectedScale();
    const max = getScaledValueFromIntOrPercent(maxUnavailable, expectedCount, true);
    return { expectedCount, desiredHealthy: Math.max(0, expectedCount - max) };
  }
  if (minAvailable !== undefined && minAvailable !== null) {
    if (typeof minAvailable === 'number') {
      return { expectedCount: pods.length, desiredHealthy: minAvailable };
    }
    const expectedCount = await expectedScale();
    return {
      expectedCount,
      desiredHealthy: getScaledValueFromIntOrPercent(minAvailable, expectedCount, true),
    };
  }
  return { expectedCount: 0, desiredHealthy: 0 };
}

/** `buildDisruptedPodMap`; see the module comment. */
export function buildDisruptedPodMap(
  pods: readonly Readonly<Pod>[],
  pdb: PDB,
  nowMs: number,
): { disrupted: Record<string, string>; expired: string[]; recheckAtMs?: number } {
  const recorded = pdb.status?.disruptedPods ?? {};
  const disrupted: Record<string, string> = {};
  const expired: string[] = [];
  let recheckAtMs: number | undefined;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    const name = pod.metadata?.name ?? '';
    const at = recorded[name];
    if (at === undefined) continue;
    const expected = (timeMs(at) ?? 0) + deletionTimeoutMs;
    if (expected < nowMs) {
      expired.push(name);
      continue;
    }
    if (recheckAtMs === undefined || expected < recheckAtMs) recheckAtMs = expected;
    disrupted[name] = at;
  }
  return { disrupted, expired, recheckAtMs };
}

/** `countHealthyPods`. */
export function countHealthyPods(
  pods: readonly Readonly<Pod>[],
  disrupted: Readonly<Record<string, string>>,
  nowMs: number,
): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    const at = disrupted[pod.metadata?.name ?? ''];
    if (at !== undefined && (timeMs(at) ?? 0) + deletionTimeoutMs > nowMs) continue;
    if (isPodReady(pod)) healthy++;
  }
  return healthy;
}

export function disruptionsAllowed(current: number, desired: number, expected: number): number {
  const allowed = current - desired;
  return expected <= 0 || allowed <= 0 ? 0 : allowed;
}

/** `apimeta.SetStatusCondition`: the transition time moves only when the status changes. */
export function setCondition(
  status: PDBStatus,
  condition: Omit<Condition, 'lastTransitionTime'>,
  now: string,
): void {
  const list = (status.conditions ??= []);
  const existing = list.find((c) => c.type === condition.type);
  if (!existing) {
    list.push({ ...condition, lastTransitionTime: now });
    return;
  }
  if (existing.status !== condition.status) existing.lastTransitionTime = now;
  existing.status = condition.status;
  existing.reason = condition.reason;
  existing.message = condition.message;
  existing.observedGeneration = condition.observedGeneration;
}

/** `UpdateDisruptionAllowedCondition`. */
export function updateDisruptionAllowedCondition(status: PDBStatus, now: string): void {
  const allowed = (status.disruptionsAllowed ?? 0) > 0;
  setCondition(
    status,
    {
      type: disruptionAllowedCondition,
      status: allowed ? 'True' : 'False',
      reason: allowed ? reasons.sufficientPods : reasons.insufficientPods,
      message: '',
      observedGeneration: status.observedGeneration,
    },
    now,
  );
}

/** `ConditionsAreUpToDate` and the counts of `updatePdbStatus`: nothing to write. */
export function statusUpToDate(pdb: PDB, next: PDBStatus): boolean {
  const s = pdb.status ?? ({} as PDBStatus);
  const cond = s.conditions?.find((c) => c.type === disruptionAllowedCondition);
  const conditionOk =
    !!cond &&
    (s.observedGeneration ?? 0) === (pdb.metadata?.generation ?? 0) &&
    ((s.disruptionsAllowed ?? 0) > 0
      ? cond.status === 'True' && cond.reason === reasons.sufficientPods
      : cond.status === 'False' && cond.reason === reasons.insufficientPods);
  return (
    conditionOk &&
    (s.currentHealthy ?? 0) === next.currentHealthy &&
    (s.desiredHealthy ?? 0) === next.desiredHealthy &&
    (s.expectedPods ?? 0) === next.expectedPods &&
    (s.disruptionsAllowed ?? 0) === next.disruptionsAllowed &&
    semanticEqual(s.disruptedPods ?? {}, next.disruptedPods ?? {}) &&
    (s.observedGeneration ?? 0) === (pdb.metadata?.generation ?? 0)
  );
}
