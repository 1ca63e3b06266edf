/**
 * StatefulSet status (`stateful_set_control.go`, `stateful_set_status_updater.go`):
 *
 * - counts (`computeReplicaStatus`): `replicas` created pods (their phase is set), `readyReplicas`
 *   Running and Ready, `availableReplicas` of those also available for minReadySeconds,
 *   `currentReplicas` / `updatedReplicas` created, not terminating pods at the current / update
 *   revision;
 * - a RollingUpdate is complete when every replica is updated and ready: the current revision
 *   then becomes the update revision (`completeRollingUpdate`);
 * - status is written only when a counted field, a revision or observedGeneration moved
 *   (`inconsistentStatus`), through `/status`, re-reading the set on a conflict.
 */
import {
  isConflict,
  StatefulSet as StatefulSetKind,
  type ApiClient,
  type Client,
  type Pod,
  type StatefulSet,
} from '../../framework/index.js';
import { statusUpdateAttempts } from './defaults.js';
import {
  isCreated,
  isRunningAndAvailable,
  isRunningAndReady,
  isTerminating,
  podRevision,
  type SetObj,
} from './identity.js';

export type StatefulSetStatus = NonNullable<StatefulSet['status']>;

/** `updateStatus`: recounts `status` over the pod lists (pods not created yet count nothing). */
export function countReplicas(
  status: StatefulSetStatus,
  minReadySeconds: number,
  nowMs: number,
  revisions: { current: string; update: string },
  ...podLists: ReadonlyArray<readonly Readonly<Pod>[]>
): void {
  status.replicas = 0;
  status.readyReplicas = 0;
  status.availableReplicas = 0;
  status.currentReplicas = 0;
  status.updatedReplicas = 0;
  for (const list of podLists) {
    for (const pod of list) {
      if (isCreated(pod)) status.replicas++;
      if (isRunningAndReady(pod)) {
        status.readyReplicas++;
        if (isRunningAndAvailable(pod, minReadySeconds, nowMs)) status.availableReplicas++;
      }
      if (isCreated(pod) && !isTerminating(pod)) {
        const revision = podRevision(pod);
        if (revision === revisions.current) status.currentReplicas++;
        if (revision === revisions.update) status.updatedReplicas++;
      }
    }
  }
}

/** `completeRollingUpdate`. */
export function completeRollingUpdate(set: SetObj, status: StatefulSetStatus): void {
  if (
    set.spec?.updateStrategy?.type === 'RollingUpdate' &&
    status.updatedReplicas === status.replicas &&
    status.readyReplicas === status.replicas
  ) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
}

/** `inconsistentStatus`: the computed status differs from the set's in a field that matters. */
export function inconsistentStatus(set: SetObj, status: StatefulSetStatus): boolean {
  const s = set.status ?? ({} as StatefulSetStatus);
  return (
    (status.observedGeneration ?? 0) > (s.observedGeneration ?? 0) ||
    (status.replicas ?? 0) !== (s.replicas ?? 0) ||
    (status.currentReplicas ?? 0) !== (s.currentReplicas ?? 0) ||
    (status.readyReplicas ?? 0) !== (s.readyReplicas ?? 0) ||
    (status.updatedReplicas ?? 0) !== (s.updatedReplicas ?? 0) ||
    (status.currentRevision ?? '') !== (s.currentRevision ?? '') ||
    (status.availableReplicas ?? 0) !== (s.availableReplicas ?? 0) ||
    (status.updateRevision ?? '') !== (s.updateRevision ?? '')
  );
}

/** `UpdateStatefulSetStatus`: writes `status`, re-reading the set and retrying on conflict. */
export async function writeStatus(
  client: Client,
  api: ApiClient,
  set: SetObj,
  status: StatefulSetStatus,
): Promise<void> {
  let current = structuredClone(set) as StatefulSet;
  for (let attempt = 1; ; attempt++) {
    current.status = { ...status };
    try {
      await client.updateStatus(current, { kind: StatefulSetKind });
      return;
    } catch (err) {
      if (!isConflict(err) || attempt >= statusUpdateAttempts) throw err;
    }
    current = await api.get(StatefulSetKind, set.metadata?.name ?? '', {
      namespace: set.metadata?.namespace,
    });
  }
}
