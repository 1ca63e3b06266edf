/**
 * The RollingUpdate steps (`rolling.go`) as plans, so their arithmetic is testable on its own:
 *
 * - {@link newReplicaSetTarget} (`reconcileNewReplicaSet`): the new ReplicaSet grows while the
 *   total stays within `replicas + maxSurge`, never past `replicas`; shrinks to `replicas` when
 *   larger.
 * - {@link oldReplicaSetsPlan} (`reconcileOldReplicaSets`): old ReplicaSets may shrink by
 *   `allPods - minAvailable - newRSUnavailable`; first their unavailable replicas go
 *   (`cleanupUnhealthyReplicas`, oldest first), then available ones down to `minAvailable`
 *   available pods in all (`scaleDownOldReplicaSetsForRollingUpdate`, oldest first).
 */
import type { Deployment, ReplicaSet } from '../../framework/index.js';
import { maxUnavailable, newRSNewReplicas } from './fenceposts.js';
import {
  availableReplicaCount,
  byCreationTimestamp,
  replicaCount,
  specReplicas,
} from './replicasets.js';

/** The new ReplicaSet's next size, or undefined when it stays as it is. */
export function newReplicaSetTarget(
  allRSs: readonly (Readonly<ReplicaSet> | undefined)[],
  newRS: Readonly<ReplicaSet>,
  d: Readonly<Deployment>,
): number | undefined {
  const replicas = d.spec?.replicas ?? 0;
  const current = specReplicas(newRS);
  if (current === replicas) return undefined;
  if (current > replicas) return replicas;
  const next = newRSNewReplicas(d, allRSs, newRS);
  return next === current ? undefined : next;
}

export interface OldScaleStep<T> {
  rs: T;
  /** Size after this step. */
  replicas: number;
}

/**
 * The scale-downs of old ReplicaSets (`oldRSs`: the active ones), in order; a ReplicaSet may
 * appear twice (unhealthy replicas first, then available ones).
 */
export function oldReplicaSetsPlan<T extends Readonly<ReplicaSet>>(
  allRSs: readonly (T | undefined)[],
  oldRSs: readonly T[],
  newRS: Readonly<ReplicaSet>,
  d: Readonly<Deployment>,
): OldScaleStep<T>[] {
  if (replicaCount(oldRSs) === 0) return [];
  const allPods = replicaCount(allRSs);
  const minAvailable = (d.spec?.replicas ?? 0) - maxUnavailable(d);
  const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return [];
  const steps: OldScaleStep<T>[] = [];
  const sizes = new Map<T, number>(oldRSs.map((rs) => [rs, specReplicas(rs)]));
  const ordered = [...oldRSs].sort(byCreationTimestamp);
  let cleaned = 0;
  for (const rs of ordered) {
    if (cleaned >= maxScaledDown) break;
    const size = sizes.get(rs)!;
    const available = rs.status?.availableReplicas ?? 0;
    if (size === 0 || size === available) continue;
    const down = Math.min(maxScaledDown - cleaned, size - available);
    sizes.set(rs, size - down);
    steps.push({ rs, replicas: size - down });
    cleaned += down;
  }
  const available = availableReplicaCount([...oldRSs, newRS]);
  if (available <= minAvailable) return steps;
  const total = available - minAvailable;
  let scaled = 0;
  for (const rs of ordered) {
    if (scaled >= total) break;
    const size = sizes.get(rs)!;
    if (size === 0) continue;
    const down = Math.min(size, total - scaled);
    sizes.set(rs, size - down);
    steps.push({ rs, replicas: size - down });
    scaled += down;
  }
  return steps;
}
