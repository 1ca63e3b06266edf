/**
 * ReplicaSet status (`replica_set_utils.go`): what the pods say, the ReplicaFailure condition, and
 * the write that skips unchanged status and retries once on a fresh copy.
 */
import {
  rfc3339,
  type ApiClient,
  type Client,
  type Kind,
  type Pod,
} from '../../framework/index.js';
import {
  errorMessage,
  isPodAvailable,
  isPodReady,
  isPodTerminating,
  semanticEqual,
  statusUpdateRetries,
} from '../util/index.js';
import type { Selector } from '../../framework/index.js';
import type { ReplicaObject, ReplicaStatus } from './kinds.js';

type ReplicaCondition = NonNullable<ReplicaStatus['conditions']>[number];

/** The ReplicaFailure condition type. */
export const replicaFailure = 'ReplicaFailure';

/** `SetCondition`: replaces the condition of its type unless status and reason are unchanged. */
export function setReplicaCondition(status: ReplicaStatus, condition: ReplicaCondition): void {
  const current = status.conditions?.find((c) => c.type === condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  status.conditions = [
    ...(status.conditions ?? []).filter((c) => c.type !== condition.type),
    condition,
  ];
}

/** `RemoveCondition`. */
export function removeReplicaCondition(status: ReplicaStatus, type: string): void {
  status.conditions = (status.conditions ?? []).filter((c) => c.type !== type);
  if (status.conditions.length === 0) delete status.conditions;
}

export interface CalculateStatusInput {
  rs: Readonly<ReplicaObject>;
  /** Active pods the controller claimed. */
  pods: readonly Readonly<Pod>[];
  /** Terminating pods it controls. */
  terminating: number;
  /** The error manageReplicas ended with, if any. */
  manageError: unknown;
  templateSelector: Selector;
  nowMs: number;
}

/** `calculateStatus` (observedGeneration is set by {@link updateReplicaStatus}). */
export function calculateStatus(input: CalculateStatusInput): ReplicaStatus {
  const { rs, pods, manageError, nowMs } = input;
  const status: ReplicaStatus = structuredClone(rs.status ?? {}) as ReplicaStatus;
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    if (input.templateSelector.matches(pod.metadata?.labels)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, nowMs)) available++;
    }
  }
  const failure = rs.status?.conditions?.find((c) => c.type === replicaFailure);
  if (manageError !== undefined && !failure) {
    const diff = pods.length - (rs.spec?.replicas ?? 0);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    setReplicaCondition(status, {
      type: replicaFailure,
      status: 'True',
      reason,
      message: errorMessage(manageError),
      lastTransitionTime: rfc3339(new Date(nowMs)),
    } as ReplicaCondition);
  } else if (manageError === undefined && failure) {
    removeReplicaCondition(status, replicaFailure);
  }
  status.replicas = pods.length;
  status.fullyLabeledReplicas = fullyLabeled;
  status.readyReplicas = ready;
  status.availableReplicas = available;
  status.terminatingReplicas = input.terminating;
  return status;
}

/** Terminating pods among those controlled by `uid`. */
export function countTerminatingControlled(pods: readonly Readonly<Pod>[]): number {
  return pods.filter(isPodTerminating).length;
}

function sameStatus(rs: Readonly<ReplicaObject>, next: ReplicaStatus): boolean {
  const s: ReplicaStatus = rs.status ?? ({} as ReplicaStatus);
  return (
    (s.replicas ?? 0) === (next.replicas ?? 0) &&
    (s.fullyLabeledReplicas ?? 0) === (next.fullyLabeledReplicas ?? 0) &&
    (s.readyReplicas ?? 0) === (next.readyReplicas ?? 0) &&
    (s.availableReplicas ?? 0) === (next.availableReplicas ?? 0) &&
    s.terminatingReplicas === next.terminatingReplicas &&
    (rs.metadata?.generation ?? 0) === (s.observedGeneration ?? 0) &&
    semanticEqual(s.conditions, next.conditions)
  );
}

/**
 * `updateReplicaSetStatus`: writes `next` (with observedGeneration = generation) unless nothing
 * changed; on failure re-reads the object from the server once and retries. Resolves with the
 * object as stored.
 */
export async function updateReplicaStatus(
  client: Client,
  api: ApiClient,
  kind: Kind,
  rs: Readonly<ReplicaObject>,
  next: ReplicaStatus,
): Promise<Readonly<ReplicaObject>> {
  if (sameStatus(rs, next)) return rs;
  next.observedGeneration = rs.metadata?.generation ?? 0;
  let current: ReplicaObject = structuredClone(rs) as ReplicaObject;
  for (let attempt = 0; ; attempt++) {
    current.status = next;
    try {
      return await client.updateStatus(current, { kind });
    } catch (err) {
      if (attempt >= statusUpdateRetries) throw err;
      current = (await api.get(kind, rs.metadata?.name ?? '', {
        namespace: rs.metadata?.namespace,
      })) as ReplicaObject;
    }
  }
}
