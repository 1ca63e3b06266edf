/**
 * Proportional scaling (`sync.go scale()`), as a plan: which ReplicaSets get which size when the
 * Deployment's replicas change mid-rollout or while paused. The controller applies the plan in
 * order and stops at the first failed write.
 *
 * - At most one ReplicaSet has replicas (or none): it (or the newest) gets `replicas`.
 * - The new ReplicaSet is saturated: every old one with replicas goes to 0.
 * - Otherwise (RollingUpdate): `replicas + maxSurge` (0 for 0 replicas) minus what the active
 *   ReplicaSets hold is spread over them in proportion to their size (larger first; newer first
 *   when adding, older first when removing), the leftover to the first one, never below 0.
 *   Each active ReplicaSet is written, so its replicas annotations follow the new size.
 */
import type { Deployment, ReplicaSet } from '../../framework/index.js';
import { isRollingUpdate, isSaturated, maxSurge, proportion } from './fenceposts.js';
import {
  bySizeNewer,
  bySizeOlder,
  filterActive,
  findActiveOrLatest,
  replicaCount,
  specReplicas,
} from './replicasets.js';

export interface ScaleStep<T extends Readonly<ReplicaSet>> {
  rs: T;
  replicas: number;
  /** `up` or `down` for the event; `''` when the size does not change. */
  operation: 'up' | 'down' | '';
  /** Write only when the size changes (`scaleReplicaSetAndRecordEvent`), not for annotations alone. */
  onlyIfResized: boolean;
}

/** The writes `scale()` makes, in order. */
export function planScale<T extends Readonly<ReplicaSet>>(
  d: Readonly<Deployment>,
  newRS: T | undefined,
  oldRSs: readonly T[],
): ScaleStep<T>[] {
  const replicas = d.spec?.replicas ?? 0;
  const op = (rs: T, size: number): 'up' | 'down' | '' =>
    specReplicas(rs) < size ? 'up' : specReplicas(rs) > size ? 'down' : '';
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest) {
    if (specReplicas(activeOrLatest) === replicas) return [];
    return [
      {
        rs: activeOrLatest,
        replicas,
        operation: op(activeOrLatest, replicas),
        onlyIfResized: true,
      },
    ];
  }
  if (isSaturated(d, newRS)) {
    return filterActive(oldRSs).map((rs) => ({
      rs,
      replicas: 0,
      operation: 'down',
      onlyIfResized: true,
    }));
  }
  if (!isRollingUpdate(d)) return [];
  const all = filterActive([...oldRSs, newRS]);
  const allowed = replicas > 0 ? replicas + maxSurge(d) : 0;
  const toAdd = allowed - replicaCount(all);
  let operation: 'up' | 'down' | '' = '';
  if (toAdd > 0) {
    all.sort(bySizeNewer);
    operation = 'up';
  } else if (toAdd < 0) {
    all.sort(bySizeOlder);
    operation = 'down';
  }
  let added = 0;
  const sizes = all.map((rs) => {
    if (toAdd === 0) return specReplicas(rs);
    const p = proportion(rs, d, toAdd, added);
    added += p;
    return specReplicas(rs) + p;
  });
  if (all.length > 0 && toAdd !== 0) sizes[0] = Math.max(0, sizes[0]! + toAdd - added);
  return all.map((rs, i) => ({ rs, replicas: sizes[i]!, operation, onlyIfResized: false }));
}
