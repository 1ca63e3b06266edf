/**
 * Small Job helpers (`job_controller.go`, `tracking_utils.go`, `pkg/controller/job/util`):
 * conditions, finished/suspended checks, what counts as a failed pod, the tracking finalizer and
 * the expectations of its removal.
 */
import { rfc3339, type Job, type Pod } from '../../framework/index.js';
import { isPodReady } from '../util/index.js';
import { jobControllerName, jobTrackingFinalizer } from './defaults.js';

export type JobStatus = NonNullable<Job['status']>;
export type JobCondition = NonNullable<JobStatus['conditions']>[number];

/** `newCondition`: lastProbeTime and lastTransitionTime are now. */
export function newJobCondition(
  type: string,
  status: 'True' | 'False',
  reason: string,
  message: string,
  nowMs: number,
): JobCondition {
  const now = rfc3339(new Date(nowMs));
  return { type, status, reason, message, lastProbeTime: now, lastTransitionTime: now };
}

export function findJobCondition(
  conditions: readonly JobCondition[] | undefined,
  type: string,
): JobCondition | undefined {
  return conditions?.find((c) => c.type === type);
}

/**
 * `ensureJobConditionStatus`: replaces a condition whose status, reason or message differ; adds a
 * missing one unless its status is False. Returns the list and whether it changed.
 */
export function ensureJobConditionStatus(
  list: JobCondition[] | undefined,
  type: string,
  status: 'True' | 'False',
  reason: string,
  message: string,
  nowMs: number,
): { conditions: JobCondition[]; changed: boolean } {
  const conditions = list ?? [];
  const i = conditions.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = conditions[i]!;
    if (c.status !== status || (c.reason ?? '') !== reason || (c.message ?? '') !== message) {
      conditions[i] = newJobCondition(type, status, reason, message, nowMs);
      return { conditions, changed: true };
    }
    return { conditions, changed: false };
  }
  if (status !== 'False')
    return {
      conditions: [...conditions, newJobCondition(type, status, reason, message, nowMs)],
      changed: true,
    };
  return { conditions, changed: false };
}

/** `IsJobFinished`: Complete or Failed is True. */
export function finishedConditionOf(job: Readonly<Job>): 'Complete' | 'Failed' | undefined {
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c.type;
  }
  return undefined;
}

export function isJobFinished(job: Readonly<Job>): boolean {
  return finishedConditionOf(job) !== undefined;
}

export function jobSuspended(job: Readonly<Job>): boolean {
  return job.spec?.suspend === true;
}

export function isIndexedJob(job: Readonly<Job>): boolean {
  return job.spec?.completionMode === 'Indexed';
}

export function hasBackoffLimitPerIndex(job: Readonly<Job>): boolean {
  return job.spec?.backoffLimitPerIndex !== undefined && job.spec.backoffLimitPerIndex !== null;
}

/** `managedByExternalController`: the Job names another controller in spec.managedBy. */
export function managedByExternalController(job: Readonly<Job>): string | undefined {
  const by = (job.spec as { managedBy?: string } | undefined)?.managedBy;
  return by && by !== jobControllerName ? by : undefined;
}

/** `onlyReplaceFailedPods`: podReplacementPolicy Failed (implied by a podFailurePolicy). */
export function onlyReplaceFailedPods(job: Readonly<Job>): boolean {
  return job.spec?.podReplacementPolicy === 'Failed' || !!job.spec?.podFailurePolicy;
}

/**
 * `isPodFailed`: phase Failed, or (unless only failed pods are replaced) being deleted without
 * having succeeded — an orphaned pod may never reach Failed.
 */
export function isPodFailed(pod: Readonly<Pod>, job: Readonly<Job>): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!pod.metadata?.deletionTimestamp && pod.status?.phase !== 'Succeeded';
}

/**
 * `pastBackoffLimitOnFailure`: with restartPolicy OnFailure, the container restarts of running
 * and pending pods reach backoffLimit (exceed it when the limit is 0).
 */
export function pastBackoffLimitOnFailure(
  job: Readonly<Job>,
  pods: readonly Readonly<Pod>[],
): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const s of p.status?.initContainerStatuses ?? []) restarts += s.restartCount ?? 0;
    for (const s of p.status?.containerStatuses ?? []) restarts += s.restartCount ?? 0;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

export function countReadyPods(pods: readonly Readonly<Pod>[]): number {
  return pods.filter(isPodReady).length;
}

export function hasJobTrackingFinalizer(pod: Readonly<Pod>): boolean {
  return pod.metadata?.finalizers?.includes(jobTrackingFinalizer) ?? false;
}

/** The strategic-merge patch removing the tracking finalizer (undefined when absent). */
export function removeTrackingFinalizerPatch(pod: Readonly<Pod>): unknown {
  if (!hasJobTrackingFinalizer(pod)) return undefined;
  return { metadata: { '$deleteFromPrimitiveList/finalizers': [jobTrackingFinalizer] } };
}

/**
 * `uidTrackingExpectations` for finalizer removals: per Job, the UIDs of pods whose tracking
 * finalizer the controller removed but the informer has not shown removed yet.
 */
export class FinalizerExpectations {
  private readonly uids = new Map<string, Set<string>>();

  expected(jobKey: string): Set<string> {
    return new Set(this.uids.get(jobKey) ?? []);
  }

  expectRemoved(jobKey: string, uids: readonly string[]): void {
    let set = this.uids.get(jobKey);
    if (!set) this.uids.set(jobKey, (set = new Set()));
    for (const u of uids) set.add(u);
  }

  observed(jobKey: string, uid: string): void {
    const set = this.uids.get(jobKey);
    if (!set) return;
    set.delete(uid);
    if (set.size === 0) this.uids.delete(jobKey);
  }

  delete(jobKey: string): void {
    this.uids.delete(jobKey);
  }
}
