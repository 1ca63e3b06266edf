/**
 * Taints and tolerations (upstream `pkg/util/taints`, `k8s.io/api/core/v1` helpers, and the taint
 * sets of `node_lifecycle_controller.go`).
 *
 * - {@link conditionTaints}: the NoSchedule taints a node's conditions and `spec.unschedulable`
 *   call for (TaintNodesByCondition); {@link isConditionTaint} says which existing taints that
 *   pass owns, so anything else on the node is never touched.
 * - {@link tolerates}: upstream `Toleration.ToleratesTaint` (empty key + Exists matches every
 *   key, empty effect matches every effect).
 * - {@link minTolerationTime}: upstream `getMinTolerationTime` — the smallest
 *   `tolerationSeconds` (negative counts as 0) among the tolerations used; -1 when none of them
 *   sets one (tolerated forever); 0 when there are none.
 */
import type { Node, Pod } from '../../framework/index.js';
import { taintKeys } from './defaults.js';

export type Taint = NonNullable<NonNullable<Node['spec']>['taints']>[number];
export type Toleration = NonNullable<NonNullable<Pod['spec']>['tolerations']>[number];
type NodeCondition = NonNullable<NonNullable<Node['status']>['conditions']>[number];

export const notReadyNoExecute: Taint = { key: taintKeys.notReady, effect: 'NoExecute' };
export const unreachableNoExecute: Taint = { key: taintKeys.unreachable, effect: 'NoExecute' };

/** condition type → status → NoSchedule taint key (`nodeConditionToTaintKeyStatusMap`). */
const conditionTaintKeys: Record<string, Record<string, string>> = {
  Ready: { False: taintKeys.notReady, Unknown: taintKeys.unreachable },
  MemoryPressure: { True: taintKeys.memoryPressure },
  DiskPressure: { True: taintKeys.diskPressure },
  NetworkUnavailable: { True: taintKeys.networkUnavailable },
  PIDPressure: { True: taintKeys.pidPressure },
};

const ownedNoScheduleKeys = new Set([
  ...Object.values(conditionTaintKeys).flatMap((m) => Object.values(m)),
  taintKeys.unschedulable,
]);

/** The NoSchedule taints `node` should carry for its conditions and `spec.unschedulable`. */
export function conditionTaints(node: Readonly<Node>): Taint[] {
  const out: Taint[] = [];
  for (const c of (node.status?.conditions ?? []) as NodeCondition[]) {
    const key = conditionTaintKeys[c.type]?.[c.status];
    if (key) out.push({ key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable) out.push({ key: taintKeys.unschedulable, effect: 'NoSchedule' });
  return out;
}

/** Whether `taint` is one the NoSchedule pass manages. */
export function isConditionTaint(taint: Taint): boolean {
  return taint.effect === 'NoSchedule' && ownedNoScheduleKeys.has(taint.key);
}

/** Same key, value and effect (upstream `Taint.MatchTaint` compares key and effect only). */
export function sameTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect;
}

export function hasTaint(taints: readonly Taint[] | undefined, t: Taint): boolean {
  return (taints ?? []).some((x) => sameTaint(x, t));
}

/**
 * `taints` with `remove` taken out and `add` put in (those missing); NoExecute taints added get
 * `timeAdded = now`. Returns undefined when nothing changes.
 */
export function swapTaints(
  taints: readonly Taint[] | undefined,
  add: readonly Taint[],
  remove: readonly Taint[],
  now: string,
): Taint[] | undefined {
  const current = [...(taints ?? [])];
  const kept = current.filter((t) => !remove.some((r) => sameTaint(r, t)));
  let changed = kept.length !== current.length;
  for (const t of add) {
    if (kept.some((x) => sameTaint(x, t))) continue;
    kept.push(t.effect === 'NoExecute' ? { ...t, timeAdded: now } : { ...t });
    changed = true;
  }
  return changed ? kept : undefined;
}

/** Upstream `Toleration.ToleratesTaint`. */
export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

/**
 * Whether every taint is tolerated; `used` collects the tolerations that matched (upstream
 * `GetMatchingTolerations`).
 */
export function matchingTolerations(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
): { allTolerated: boolean; used: Toleration[] } {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const match = tolerations.find((t) => tolerates(t, taint));
    if (!match) return { allTolerated: false, used: [] };
    used.push(match);
  }
  return { allTolerated: true, used };
}

/** Upstream `getMinTolerationTime`, in milliseconds (-1: forever). */
export function minTolerationTime(used: readonly Toleration[]): number {
  if (used.length === 0) return 0;
  let min = -1;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    const ms = Math.max(0, t.tolerationSeconds) * 1000;
    if (min === -1 || ms < min) min = ms;
  }
  return min;
}

/** The node's Ready condition, if any. */
export function readyCondition(node: Readonly<Node>): NodeCondition | undefined {
  return (node.status?.conditions as NodeCondition[] | undefined)?.find((c) => c.type === 'Ready');
}
