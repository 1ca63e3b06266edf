/**
 * Rolling-update arithmetic (`deployment_util.go`): maxSurge rounds up, maxUnavailable rounds
 * down, and when both resolve to 0 maxUnavailable becomes 1; how far the new ReplicaSet may grow;
 * and the proportions used when a Deployment is scaled mid-rollout or while paused.
 */
import type { Deployment, ReplicaSet } from '../../framework/index.js';
import { getScaledValueFromIntOrPercent } from '../util/index.js';
import { desiredReplicasOf, maxReplicasOf } from './annotations.js';
import { specReplicas } from './replicasets.js';

type IntOrString = number | string;

export function isRollingUpdate(d: Readonly<Deployment>): boolean {
  return d.spec?.strategy?.type === 'RollingUpdate';
}

/**
 * `ResolveFenceposts`: surge (rounded up) and unavailable (rounded down) for `desired` replicas;
 * both 0 → unavailable 1. Absent values count as 0. Throws for a malformed value.
 */
export function resolveFenceposts(
  maxSurge: IntOrString | undefined,
  maxUnavailable: IntOrString | undefined,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = getScaledValueFromIntOrPercent(maxSurge ?? 0, desired, true);
  let unavailable = getScaledValueFromIntOrPercent(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

function fenceposts(d: Readonly<Deployment>): { surge: number; unavailable: number } {
  const ru = d.spec?.strategy?.rollingUpdate;
  try {
    return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, d.spec?.replicas ?? 0);
  } catch {
    return { surge: 0, unavailable: 0 }; // caught by validation upstream
  }
}

/** `MaxUnavailable`: 0 for Recreate or 0 replicas; at most `replicas`. */
export function maxUnavailable(d: Readonly<Deployment>): number {
  const replicas = d.spec?.replicas ?? 0;
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  return Math.min(fenceposts(d).unavailable, replicas);
}

/** `MinAvailable`. */
export function minAvailable(d: Readonly<Deployment>): number {
  if (!isRollingUpdate(d)) return 0;
  return (d.spec?.replicas ?? 0) - maxUnavailable(d);
}

/** `MaxSurge`: 0 for Recreate. */
export function maxSurge(d: Readonly<Deployment>): number {
  return isRollingUpdate(d) ? fenceposts(d).surge : 0;
}

/**
 * `NewRSNewReplicas`: the size the new ReplicaSet may have now. RollingUpdate: grow up to
 * `replicas + surge` pods in total, never past `replicas`; Recreate: `replicas`.
 */
export function newRSNewReplicas(
  d: Readonly<Deployment>,
  allRSs: readonly (Readonly<ReplicaSet> | undefined)[],
  newRS: Readonly<ReplicaSet>,
): number {
  const replicas = d.spec?.replicas ?? 0;
  switch (d.spec?.strategy?.type) {
    case 'RollingUpdate': {
      const surge = getScaledValueFromIntOrPercent(
        d.spec?.strategy?.rollingUpdate?.maxSurge ?? 0,
        replicas,
        true,
      );
      let current = 0;
      for (const rs of allRSs) current += specReplicas(rs);
      const maxTotal = replicas + surge;
      if (current >= maxTotal) return specReplicas(newRS);
      const up = Math.min(maxTotal - current, replicas - specReplicas(newRS));
      return specReplicas(newRS) + up;
    }
    case 'Recreate':
      return replicas;
    default:
      throw new Error(`deployment type ${d.spec?.strategy?.type} isn't supported`);
  }
}

/** `IsSaturated`: the new ReplicaSet has, wants and has available all the Deployment's replicas. */
export function isSaturated(
  d: Readonly<Deployment>,
  rs: Readonly<ReplicaSet> | undefined,
): boolean {
  if (!rs) return false;
  const desired = desiredReplicasOf(rs);
  if (desired === undefined) return false;
  const replicas = d.spec?.replicas ?? 0;
  return (
    specReplicas(rs) === replicas &&
    desired === replicas &&
    (rs.status?.availableReplicas ?? 0) === replicas
  );
}

/** Go's `integer.RoundToInt32`: halves away from zero. */
function roundToInt(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** `getReplicaSetFraction`: how many replicas `rs` gains or loses in proportion. */
export function replicaSetFraction(rs: Readonly<ReplicaSet>, d: Readonly<Deployment>): number {
  const replicas = d.spec?.replicas ?? 0;
  if (replicas === 0) return -specReplicas(rs);
  const deploymentReplicas = replicas + maxSurge(d);
  const annotated = maxReplicasOf(rs) ?? d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  return roundToInt((specReplicas(rs) * deploymentReplicas) / annotated) - specReplicas(rs);
}

/** `GetProportion`: the fraction, bounded by what is left to add (or remove). */
export function proportion(
  rs: Readonly<ReplicaSet> | undefined,
  d: Readonly<Deployment>,
  toAdd: number,
  added: number,
): number {
  if (!rs || specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
