/**
 * RollingUpdate (`rolling.go`): one step per sync. Create (or find) the new ReplicaSet; grow it if
 * the surge allows and stop; else shrink old ReplicaSets if availability allows and stop; else,
 * once the rollout is complete, delete history beyond revisionHistoryLimit. Each path ends with
 * the rollout status (Progressing, Available, ReplicaFailure).
 */
import type { Deployment, ReplicaSet } from '../../framework/index.js';
import { deploymentComplete } from './conditions.js';
import { filterActive } from './replicasets.js';
import { newReplicaSetTarget, oldReplicaSetsPlan } from './rollingplan.js';
import type { DeploymentSyncer } from './sync.js';

type RS = Readonly<ReplicaSet>;

export async function rolloutRolling(
  s: DeploymentSyncer,
  d: Deployment,
  rsList: readonly RS[],
): Promise<void> {
  const { newRS, oldRSs } = await s.allReplicaSetsAndSyncRevision(d, rsList, true);
  const allRSs = [...oldRSs, newRS];
  const target = newReplicaSetTarget(allRSs, newRS!, d);
  if (target !== undefined) {
    const { scaled } = await s.scaleAndRecord(newRS!, target, d);
    if (scaled) return s.syncRolloutStatus(allRSs, newRS, d);
  }
  if (await reconcileOldReplicaSets(s, allRSs, filterActive(oldRSs), newRS!, d)) {
    return s.syncRolloutStatus(allRSs, newRS, d);
  }
  if (deploymentComplete(d, d.status ?? {})) await s.cleanupDeployment(oldRSs, d);
  return s.syncRolloutStatus(allRSs, newRS, d);
}

/**
 * `reconcileOldReplicaSets`: applies the plan; true when something was scaled down. A failed
 * write ends the step without an error, as upstream does (the next sync plans again).
 */
async function reconcileOldReplicaSets(
  s: DeploymentSyncer,
  allRSs: readonly (RS | undefined)[],
  oldRSs: readonly RS[],
  newRS: RS,
  d: Deployment,
): Promise<boolean> {
  const current = new Map<string, RS>(oldRSs.map((rs) => [rs.metadata?.uid ?? '', rs]));
  let scaledDown = false;
  for (const step of oldReplicaSetsPlan(allRSs, oldRSs, newRS, d)) {
    const uid = step.rs.metadata?.uid ?? '';
    try {
      const { rs } = await s.scaleAndRecord(current.get(uid)!, step.replicas, d);
      current.set(uid, rs);
      scaledDown = true;
    } catch {
      return false;
    }
  }
  return scaledDown;
}
