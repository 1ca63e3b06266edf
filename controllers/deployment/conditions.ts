/**
 * Deployment conditions and the progress checks behind them (`deployment_util.go`):
 * Progressing (NewReplicaSetCreated, FoundNewReplicaSet, ReplicaSetUpdated,
 * NewReplicaSetAvailable, ProgressDeadlineExceeded, DeploymentPaused/Resumed,
 * ReplicaSetCreateError), Available (MinimumReplicasAvailable/Unavailable) and ReplicaFailure
 * copied from the ReplicaSets. Times are RFC 3339 with second precision.
 */
import { rfc3339, type Deployment, type ReplicaSet } from '../../framework/index.js';
import { timeMs } from '../util/index.js';
import { maxInt32, reasons } from './defaults.js';

export type DeploymentStatus = NonNullable<Deployment['status']> & { terminatingReplicas?: number };
export type DeploymentCondition = NonNullable<DeploymentStatus['conditions']>[number];

/** `NewDeploymentCondition`: lastUpdateTime and lastTransitionTime are now. */
export function newDeploymentCondition(
  type: string,
  status: 'True' | 'False' | 'Unknown',
  reason: string,
  message: string,
  nowMs: number,
): DeploymentCondition {
  const now = rfc3339(new Date(nowMs));
  return { type, status, reason, message, lastUpdateTime: now, lastTransitionTime: now };
}

export function getDeploymentCondition(
  status: Readonly<DeploymentStatus> | undefined,
  type: string,
): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/**
 * `SetDeploymentCondition`: no change when status and reason are the same; lastTransitionTime is
 * kept when only the reason changed; the condition moves to the end of the list.
 */
export function setDeploymentCondition(
  status: DeploymentStatus,
  condition: DeploymentCondition,
): void {
  const current = getDeploymentCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const next = { ...condition };
  if (current && current.status === condition.status)
    next.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), next];
}

export function removeDeploymentCondition(status: DeploymentStatus, type: string): void {
  if (!status.conditions) return;
  status.conditions = status.conditions.filter((c) => c.type !== type);
  if (status.conditions.length === 0) delete status.conditions;
}

/** `ReplicaSetToDeploymentCondition`. */
export function replicaSetToDeploymentCondition(
  c: NonNullable<NonNullable<ReplicaSet['status']>['conditions']>[number],
): DeploymentCondition {
  return {
    type: c.type,
    status: c.status,
    lastTransitionTime: c.lastTransitionTime,
    lastUpdateTime: c.lastTransitionTime,
    reason: c.reason,
    message: c.message,
  };
}

/** `HasProgressDeadline`: set and not MaxInt32. */
export function hasProgressDeadline(d: Readonly<Deployment>): boolean {
  const p = d.spec?.progressDeadlineSeconds;
  return p !== undefined && p !== null && p !== maxInt32;
}

/** `HasRevisionHistoryLimit`: set and not MaxInt32. */
export function hasRevisionHistoryLimit(d: Readonly<Deployment>): boolean {
  const l = d.spec?.revisionHistoryLimit;
  return l !== undefined && l !== null && l !== maxInt32;
}

/** `DeploymentComplete`: every replica updated and available, and the spec observed. */
export function deploymentComplete(
  d: Readonly<Deployment>,
  status: Readonly<DeploymentStatus>,
): boolean {
  const replicas = d.spec?.replicas ?? 0;
  return (
    (status.updatedReplicas ?? 0) === replicas &&
    (status.replicas ?? 0) === replicas &&
    (status.availableReplicas ?? 0) === replicas &&
    (status.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0)
  );
}

/**
 * `DeploymentProgressing`: compared with the Deployment's current status, more updated replicas,
 * fewer old ones, or more ready or available ones.
 */
export function deploymentProgressing(
  d: Readonly<Deployment>,
  next: Readonly<DeploymentStatus>,
): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/**
 * `DeploymentTimedOut`: the Progressing condition's lastUpdateTime is more than
 * progressDeadlineSeconds ago (already timed out stays timed out; a completed rollout never
 * times out).
 */
export function deploymentTimedOut(
  d: Readonly<Deployment>,
  next: Readonly<DeploymentStatus>,
  nowMs: number,
): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getDeploymentCondition(next, 'Progressing');
  if (!c) return false;
  if (c.reason === reasons.newRSAvailable) return false;
  if (c.reason === reasons.timedOut) return true;
  const from = timeMs(c.lastUpdateTime) ?? 0;
  return from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 < nowMs;
}
