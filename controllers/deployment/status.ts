/**
 * Deployment status from its ReplicaSets (`calculateStatus`, `syncRolloutStatus`,
 * `requeueStuckDeployment`), computed without writing: the controller writes the result only
 * when it differs from the stored status.
 */
import type { Deployment, ReplicaSet } from '../../framework/index.js';
import { semanticEqual } from '../util/index.js';
import {
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getDeploymentCondition,
  hasProgressDeadline,
  newDeploymentCondition,
  removeDeploymentCondition,
  replicaSetToDeploymentCondition,
  setDeploymentCondition,
  type DeploymentCondition,
  type DeploymentStatus,
} from './conditions.js';
import { reasons } from './defaults.js';
import { maxUnavailable } from './fenceposts.js';
import {
  actualReplicaCount,
  availableReplicaCount,
  readyReplicaCount,
  replicaCount,
  terminatingReplicaCount,
} from './replicasets.js';

type RS = Readonly<ReplicaSet> | undefined;

/** `calculateStatus`: counts from the ReplicaSets, the Available condition, the rest kept. */
export function calculateStatus(
  allRSs: readonly RS[],
  newRS: RS,
  d: Readonly<Deployment>,
  nowMs: number,
): DeploymentStatus {
  const available = availableReplicaCount(allRSs);
  const total = replicaCount(allRSs);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata?.generation ?? 0,
    replicas: actualReplicaCount(allRSs),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
  };
  if (d.status?.collisionCount !== undefined && d.status.collisionCount !== null) {
    status.collisionCount = d.status.collisionCount;
  }
  const terminating = terminatingReplicaCount(allRSs);
  if (terminating !== undefined) status.terminatingReplicas = terminating;
  if (d.status?.conditions?.length) status.conditions = structuredClone(d.status.conditions);
  const replicas = d.spec?.replicas ?? 0;
  if (available >= replicas - maxUnavailable(d)) {
    setDeploymentCondition(
      status,
      newDeploymentCondition(
        'Available',
        'True',
        reasons.minimumReplicasAvailable,
        'Deployment has minimum availability.',
        nowMs,
      ),
    );
  } else {
    setDeploymentCondition(
      status,
      newDeploymentCondition(
        'Available',
        'False',
        reasons.minimumReplicasUnavailable,
        'Deployment does not have minimum availability.',
        nowMs,
      ),
    );
  }
  return status;
}

function rsOrDeployment(newRS: RS, d: Readonly<Deployment>): string {
  return newRS ? `ReplicaSet "${newRS.metadata?.name}"` : `Deployment "${d.metadata?.name}"`;
}

/** `getReplicaFailures`: the new ReplicaSet's ReplicaFailure conditions, else any old one's. */
function replicaFailures(allRSs: readonly RS[], newRS: RS): DeploymentCondition[] {
  const of = (rs: RS) =>
    (rs?.status?.conditions ?? [])
      .filter((c) => c.type === 'ReplicaFailure')
      .map(replicaSetToDeploymentCondition);
  const fromNew = of(newRS);
  return fromNew.length > 0 ? fromNew : allRSs.flatMap(of);
}

/** The status `syncRolloutStatus` writes: counts, Available, Progressing and ReplicaFailure. */
export function rolloutStatus(
  allRSs: readonly RS[],
  newRS: RS,
  d: Readonly<Deployment>,
  nowMs: number,
): DeploymentStatus {
  const status = calculateStatus(allRSs, newRS, d, nowMs);
  if (!hasProgressDeadline(d)) removeDeploymentCondition(status, 'Progressing');
  const current = getDeploymentCondition(d.status, 'Progressing');
  const isComplete =
    status.replicas === status.updatedReplicas && current?.reason === reasons.newRSAvailable;
  if (hasProgressDeadline(d) && !isComplete) {
    if (deploymentComplete(d, status)) {
      setDeploymentCondition(
        status,
        newDeploymentCondition(
          'Progressing',
          'True',
          reasons.newRSAvailable,
          `${rsOrDeployment(newRS, d)} has successfully progressed.`,
          nowMs,
        ),
      );
    } else if (deploymentProgressing(d, status)) {
      const condition = newDeploymentCondition(
        'Progressing',
        'True',
        reasons.replicaSetUpdated,
        `${rsOrDeployment(newRS, d)} is progressing.`,
        nowMs,
      );
      if (current) {
        if (current.status === 'True') condition.lastTransitionTime = current.lastTransitionTime;
        removeDeploymentCondition(status, 'Progressing');
      }
      setDeploymentCondition(status, condition);
    } else if (deploymentTimedOut(d, status, nowMs)) {
      setDeploymentCondition(
        status,
        newDeploymentCondition(
          'Progressing',
          'False',
          reasons.timedOut,
          `${rsOrDeployment(newRS, d)} has timed out progressing.`,
          nowMs,
        ),
      );
    }
  }
  const failures = replicaFailures(allRSs, newRS);
  if (failures.length > 0) setDeploymentCondition(status, failures[0]!);
  else removeDeploymentCondition(status, 'ReplicaFailure');
  return status;
}

/**
 * `requeueStuckDeployment`: when to check a rollout that shows no progress for the deadline:
 * milliseconds until lastUpdateTime + progressDeadlineSeconds, plus 1 s of skew; 0 (retry now,
 * rate limited) when less than a second remains; undefined when no check is needed.
 */
export function stuckRequeueMs(
  d: Readonly<Deployment>,
  next: Readonly<DeploymentStatus>,
  nowMs: number,
): number | undefined {
  const current = getDeploymentCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || !current) return undefined;
  if (deploymentComplete(d, next) || current.reason === reasons.timedOut) return undefined;
  const from = Date.parse(current.lastUpdateTime ?? '') || 0;
  const after = from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 - nowMs;
  if (after < 1000) return 0;
  return after + 1000;
}

const counters = [
  'observedGeneration',
  'replicas',
  'updatedReplicas',
  'readyReplicas',
  'availableReplicas',
  'unavailableReplicas',
] as const;

/** Status equality as `reflect.DeepEqual` sees it (absent counters are 0). */
export function statusEqual(
  a: Readonly<DeploymentStatus> | undefined,
  b: Readonly<DeploymentStatus>,
): boolean {
  const x = a ?? ({} as DeploymentStatus);
  for (const k of counters) if ((x[k] ?? 0) !== (b[k] ?? 0)) return false;
  if ((x.collisionCount ?? undefined) !== (b.collisionCount ?? undefined)) return false;
  if (x.terminatingReplicas !== b.terminatingReplicas) return false;
  return semanticEqual(x.conditions, b.conditions);
}
