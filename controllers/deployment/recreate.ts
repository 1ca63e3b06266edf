/**
 * Recreate (`recreate.go`): scale every old ReplicaSet to 0 and stop; wait while an old ReplicaSet
 * still reports replicas or an old pod is not Succeeded/Failed (Unknown counts as running); only
 * then create (or find) the new ReplicaSet and scale it to `replicas`.
 */
import type { Deployment, Pod, ReplicaSet } from '../../framework/index.js';
import { deploymentComplete } from './conditions.js';
import { actualReplicaCount, filterActive } from './replicasets.js';
import type { DeploymentSyncer } from './sync.js';

type RS = Readonly<ReplicaSet>;

export async function rolloutRecreate(
  s: DeploymentSyncer,
  d: Deployment,
  rsList: readonly RS[],
  podMap: ReadonlyMap<string, readonly Readonly<Pod>[]>,
): Promise<void> {
  let { newRS, oldRSs } = await s.allReplicaSetsAndSyncRevision(d, rsList, false);
  let allRSs = [...oldRSs, newRS];
  let scaled = false;
  for (const rs of filterActive(oldRSs)) {
    if ((await s.scaleAndRecord(rs, 0, d)).scaled) scaled = true;
  }
  if (scaled) return s.syncRolloutStatus(allRSs, newRS, d);
  if (oldPodsRunning(newRS, oldRSs, podMap)) return s.syncRolloutStatus(allRSs, newRS, d);
  if (!newRS) {
    ({ newRS, oldRSs } = await s.allReplicaSetsAndSyncRevision(d, rsList, true));
    allRSs = [...oldRSs, newRS];
  }
  await s.scaleAndRecord(newRS!, d.spec?.replicas ?? 0, d);
  if (deploymentComplete(d, d.status ?? {})) await s.cleanupDeployment(oldRSs, d);
  return s.syncRolloutStatus(allRSs, newRS, d);
}

/** `oldPodsRunning`. */
export function oldPodsRunning(
  newRS: RS | undefined,
  oldRSs: readonly RS[],
  podMap: ReadonlyMap<string, readonly Readonly<Pod>[]>,
): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS && newRS.metadata?.uid === uid) continue;
    for (const pod of pods) {
      const phase = pod.status?.phase;
      if (phase === 'Failed' || phase === 'Succeeded') continue;
      return true;
    }
  }
  return false;
}
