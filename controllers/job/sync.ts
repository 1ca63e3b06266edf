/**
 * `syncJob` (`job_controller.go`): one pass over a Job.
 *
 * 1. Gone → forget its expectations and backoff. Finished, managed by another controller, or of an
 *    unknown completion mode → nothing.
 * 2. Its pods are claimed (adopted pods get the tracking finalizer); newly finished pods are
 *    counted (podFailurePolicy Ignore rules excluded) on top of status and the uncounted lists.
 * 3. startTime is set unless suspended; the failure record decides the re-creation backoff.
 * 4. Finished? SuccessCriteriaMet already recorded; a FailureTarget already recorded; a
 *    podFailurePolicy FailJob match; failed > backoffLimit (or restarts with OnFailure) →
 *    BackoffLimitExceeded; activeDeadlineSeconds passed → DeadlineExceeded (else a sync is queued
 *    for the deadline); Indexed: backoffLimitPerIndex outcomes, successPolicy.
 * 5. Finishing → delete the active pods (keeping finalizers). Otherwise, expectations permitting,
 *    `manageJob`; complete when enough pods succeeded and none is active; the Suspended condition
 *    follows spec.suspend (resuming resets startTime).
 * 6. Status and finalizers are tracked (`track.ts`).
 */
import { rfc3339, type Job, type Pod } from '../../framework/index.js';
import { countTerminatingPods, errorMessage, filterActivePods } from '../util/index.js';
import type { JobDeps, SyncJobCtx } from './context.js';
import { jobReasons } from './defaults.js';
import { totalIndexes } from './indexes.js';
import {
  failedIndexes,
  podsForJob,
  podsWithDelayedDeletion,
  succeededIndexes,
  validPods,
} from './jobpods.js';
import { deletePods, manageJob } from './manage.js';
import { matchPodFailurePolicy, matchSuccessPolicy } from './policies.js';
import { trackJobStatusAndRemoveFinalizers } from './track.js';
import {
  countReadyPods,
  ensureJobConditionStatus,
  findJobCondition,
  hasBackoffLimitPerIndex,
  isIndexedJob,
  isJobFinished,
  isPodFailed,
  jobSuspended,
  managedByExternalController,
  newJobCondition,
  pastBackoffLimitOnFailure,
  type JobCondition,
} from './utils.js';

type P = Readonly<Pod>;

/** syncJob; see the module comment. */
export async function syncJob(deps: JobDeps, key: string, cached: Readonly<Job>): Promise<void> {
  if (managedByExternalController(cached)) return;
  const job = structuredClone(cached) as Job;
  if (isJobFinished(job)) {
    deps.backoff.remove(key);
    return;
  }
  const mode = job.spec?.completionMode;
  if (mode && mode !== 'NonIndexed' && mode !== 'Indexed') {
    void deps.recorder.event(
      job,
      'Warning',
      'UnknownCompletionMode',
      'Skipped Job sync because completion mode is unknown',
    );
    return;
  }
  const status = (job.status ??= {});
  status.uncountedTerminatedPods ??= {};
  const satisfied = deps.expectations.satisfied(key);
  const pods = await podsForJob(deps, job);
  const activePods = filterActivePods(pods);
  const now = deps.clock.now();
  const ctx: SyncJobCtx = {
    job,
    pods,
    activePods,
    ready: countReadyPods(activePods),
    uncounted: {
      succeeded: new Set(status.uncountedTerminatedPods.succeeded ?? []),
      failed: new Set(status.uncountedTerminatedPods.failed ?? []),
    },
    expectedRmFinalizers: deps.finalizerExpectations.expected(key),
    terminating: countTerminatingPods(pods),
    succeeded: 0,
    failed: 0,
    prevSucceededIndexes: [],
    succeededIndexes: [],
    newBackoffRecord: { key, failuresAfterLastSuccess: 0 },
  };
  let active = activePods.length;
  const newSucceeded = validPods(
    ctx,
    ctx.uncounted.succeeded,
    (p) => p.status?.phase === 'Succeeded',
  );
  const newFailed = validPods(ctx, ctx.uncounted.failed, (p) => isPodFailed(p, job));
  const counted = newFailed.filter(
    (p) => matchPodFailurePolicy(job.spec?.podFailurePolicy, p).countFailed,
  ).length;
  ctx.succeeded = (status.succeeded ?? 0) + newSucceeded.length + ctx.uncounted.succeeded.size;
  ctx.failed = (status.failed ?? 0) + counted + ctx.uncounted.failed.size;
  if (!status.startTime && !jobSuspended(job)) status.startTime = rfc3339(new Date(now));
  ctx.newBackoffRecord = deps.backoff.next(key, newSucceeded, newFailed);
  decideFinished(deps, ctx, pods, now);
  if (isIndexedJob(job)) {
    [ctx.prevSucceededIndexes, ctx.succeededIndexes] = succeededIndexes(job, pods);
    ctx.succeeded = totalIndexes(ctx.succeededIndexes);
    const completions = job.spec?.completions ?? 0;
    if (hasBackoffLimitPerIndex(job)) {
      ctx.failedIndexes = failedIndexes(job, pods);
      if (!ctx.finishedCondition) {
        const maxFailed = job.spec?.maxFailedIndexes;
        const failedCount = totalIndexes(ctx.failedIndexes);
        if (maxFailed !== undefined && maxFailed !== null && failedCount > maxFailed) {
          ctx.finishedCondition = failure(
            jobReasons.maxFailedIndexesExceeded,
            'Job has exceeded the specified maximal number of failed indexes',
            now,
          );
        } else if (
          failedCount > 0 &&
          failedCount + totalIndexes(ctx.succeededIndexes) >= completions
        ) {
          ctx.finishedCondition = failure(jobReasons.failedIndexes, 'Job has failed indexes', now);
        }
      }
      ctx.podsWithDelayedDeletionPerIndex = podsWithDelayedDeletion(ctx);
    }
    if (!ctx.finishedCondition) {
      const msg = matchSuccessPolicy(job.spec?.successPolicy, completions, ctx.succeededIndexes);
      if (msg)
        ctx.finishedCondition = newJobCondition(
          'SuccessCriteriaMet',
          'True',
          jobReasons.successPolicy,
          msg,
          now,
        );
    }
  }
  let suspendChanged = false;
  let manageError: unknown;
  if (ctx.finishedCondition) {
    const r = await deletePods(deps, job, activePods);
    if (r.deleted !== active || !satisfied) ctx.finishedCondition = undefined;
    active -= r.deleted;
    ctx.terminating += r.deleted;
    ctx.ready -= r.deletedReady;
    manageError = r.error;
  } else {
    let managed = false;
    if (satisfied && !job.metadata?.deletionTimestamp) {
      const r = await manageJob(deps, key, ctx);
      active = r.active;
      manageError = r.error;
      managed = true;
    }
    const completions = job.spec?.completions;
    const complete =
      completions === undefined || completions === null
        ? ctx.succeeded > 0 && active === 0
        : ctx.succeeded >= completions && active === 0;
    if (complete) {
      ctx.finishedCondition = newJobCondition(
        'SuccessCriteriaMet',
        'True',
        jobReasons.completionsReached,
        'Reached expected number of succeeded pods',
        now,
      );
    } else if (managed) {
      const suspend = jobSuspended(job);
      const r = suspend
        ? ensureJobConditionStatus(
            status.conditions,
            'Suspended',
            'True',
            'JobSuspended',
            'Job suspended',
            now,
          )
        : ensureJobConditionStatus(
            status.conditions,
            'Suspended',
            'False',
            'JobResumed',
            'Job resumed',
            now,
          );
      status.conditions = r.conditions;
      if (r.changed) {
        suspendChanged = true;
        if (suspend) void deps.recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
        else {
          void deps.recorder.event(job, 'Normal', 'Resumed', 'Job resumed');
          status.startTime = rfc3339(new Date(now));
        }
      }
    }
  }
  const needsUpdate =
    suspendChanged ||
    active !== (status.active ?? 0) ||
    ctx.ready !== status.ready ||
    ctx.terminating !== status.terminating;
  status.active = active;
  status.ready = ctx.ready;
  status.terminating = ctx.terminating;
  try {
    await trackJobStatusAndRemoveFinalizers(deps, key, ctx, needsUpdate);
  } catch (err) {
    throw new Error(`tracking status: ${errorMessage(err)}`, { cause: err });
  }
  if (manageError !== undefined) throw manageError;
}

/** FailureTarget with reason and message (the interim condition before Failed). */
function failure(reason: string, message: string, now: number): JobCondition {
  return newJobCondition('FailureTarget', 'True', reason, message, now);
}

/** Step 4 of the module comment, without the Indexed rules. */
function decideFinished(deps: JobDeps, ctx: SyncJobCtx, pods: readonly P[], now: number): void {
  const { job } = ctx;
  const conditions = job.status?.conditions;
  const met = findJobCondition(conditions, 'SuccessCriteriaMet');
  if (met?.status === 'True') {
    ctx.finishedCondition = met;
    return;
  }
  const target = findJobCondition(conditions, 'FailureTarget');
  if (target?.status === 'True') {
    ctx.finishedCondition = newJobCondition(
      'Failed',
      'True',
      target.reason ?? '',
      target.message ?? '',
      now,
    );
    return;
  }
  if (job.spec?.podFailurePolicy) {
    for (const p of pods) {
      if (!isPodFailed(p, job)) continue;
      const m = matchPodFailurePolicy(job.spec.podFailurePolicy, p);
      if (m.failJobMessage) {
        ctx.finishedCondition = failure(jobReasons.podFailurePolicy, m.failJobMessage, now);
        return;
      }
    }
  }
  if (ctx.failed > (job.spec?.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, pods)) {
    ctx.finishedCondition = failure(
      jobReasons.backoffLimitExceeded,
      'Job has reached the specified backoff limit',
      now,
    );
    return;
  }
  const ads = job.spec?.activeDeadlineSeconds;
  const start = job.status?.startTime ? Date.parse(job.status.startTime) : undefined;
  if (ads !== undefined && ads !== null && start !== undefined && !jobSuspended(job)) {
    const remaining = ads * 1000 - (now - start);
    if (remaining <= 0) {
      ctx.finishedCondition = failure(
        jobReasons.deadlineExceeded,
        'Job was active longer than specified deadline',
        now,
      );
    } else {
      deps.enqueueAfter(job, remaining);
    }
  }
}
