/**
 * Counting finished pods with the tracking finalizer (`trackJobStatusAndRemoveFinalizers` in
 * `job_controller.go`). A finished pod is first recorded in `status.uncountedTerminatedPods`
 * (written), then its finalizer is removed, then it moves from the uncounted lists into
 * succeeded/failed (written). A crash at any point neither loses nor double-counts a pod. At most
 * 500 pods are handled per sync.
 *
 * Termination (1.31+): the interim FailureTarget / SuccessCriteriaMet condition is written first;
 * the terminal Failed / Complete only once no pod is uncounted or terminating.
 */
import { isNotFound, Job, type Pod } from '../../framework/index.js';
import { errorMessage } from '../util/index.js';
import type { JobDeps, SyncJobCtx } from './context.js';
import { maxUncountedPods } from './defaults.js';
import {
  byCompletionIndex,
  completionIndexOf,
  formatIntervals,
  hasIndex,
  totalIndexes,
  unknownCompletionIndex,
  withIndexes,
} from './indexes.js';
import { matchPodFailurePolicy } from './policies.js';
import {
  ensureJobConditionStatus,
  findJobCondition,
  hasBackoffLimitPerIndex,
  hasJobTrackingFinalizer,
  isIndexedJob,
  isPodFailed,
  newJobCondition,
  removeTrackingFinalizerPatch,
  type JobCondition,
  type JobStatus,
} from './utils.js';

/** `cleanUncountedPodsWithoutFinalizers`: uncounted pods whose finalizer is gone get counted. */
function cleanUncounted(status: JobStatus, withFinalizer: Set<string>): boolean {
  const u = (status.uncountedTerminatedPods ??= {});
  let changed = false;
  const keepS = (u.succeeded ?? []).filter((uid) => withFinalizer.has(uid));
  if (keepS.length !== (u.succeeded ?? []).length) {
    status.succeeded = (status.succeeded ?? 0) + (u.succeeded ?? []).length - keepS.length;
    u.succeeded = keepS;
    changed = true;
  }
  const keepF = (u.failed ?? []).filter((uid) => withFinalizer.has(uid));
  if (keepF.length !== (u.failed ?? []).length) {
    status.failed = (status.failed ?? 0) + (u.failed ?? []).length - keepF.length;
    u.failed = keepF;
    changed = true;
  }
  return changed;
}

/** `canRemoveFinalizer`. */
function canRemoveFinalizer(ctx: SyncJobCtx, pod: Readonly<Pod>, failed: boolean): boolean {
  if (
    ctx.job.metadata?.deletionTimestamp ||
    ctx.finishedCondition ||
    pod.status?.phase === 'Succeeded'
  )
    return true;
  if (!failed) return false;
  if (hasBackoffLimitPerIndex(ctx.job)) {
    const ix = completionIndexOf(pod);
    const delayed =
      ix === unknownCompletionIndex ? undefined : ctx.podsWithDelayedDeletionPerIndex?.get(ix);
    if (delayed && delayed.metadata?.uid === pod.metadata?.uid) return false;
  }
  return true;
}

/** The final condition (`Failed`, `Complete`) an interim one (`FailureTarget`, `SuccessCriteriaMet`) leads to. */
function finalCondition(type: 'Failed' | 'Complete', interim: JobCondition, nowMs: number) {
  return newJobCondition(type, 'True', interim.reason ?? '', interim.message ?? '', nowMs);
}

/** Writes the Job's status, keeping its resourceVersion; a failure is wrapped as `what: …`. */
async function updateStatus(deps: JobDeps, ctx: SyncJobCtx, what: string): Promise<void> {
  try {
    const stored = await deps.client.updateStatus(ctx.job, { kind: Job });
    ctx.job.metadata!.resourceVersion = stored.metadata?.resourceVersion;
  } catch (err) {
    throw new Error(`${what}: ${errorMessage(err)}`, { cause: err });
  }
}

/** `removeTrackingFinalizerFromPods`: which removals succeeded (a vanished pod counts as one). */
async function removeFinalizers(
  deps: JobDeps,
  jobKey: string,
  pods: readonly Readonly<Pod>[],
): Promise<{ ok: boolean[]; error?: unknown }> {
  deps.finalizerExpectations.expectRemoved(
    jobKey,
    pods.map((p) => p.metadata?.uid ?? ''),
  );
  let error: unknown;
  const ok = await Promise.all(
    pods.map(async (pod) => {
      const patch = removeTrackingFinalizerPatch(pod);
      if (!patch) return false;
      try {
        await deps.podControl.patchPod(pod.metadata!.namespace!, pod.metadata!.name!, patch);
      } catch (err) {
        deps.finalizerExpectations.observed(jobKey, pod.metadata?.uid ?? '');
        if (!isNotFound(err)) {
          error ??= new Error(`removing tracking finalizer: ${errorMessage(err)}`, { cause: err });
          return false;
        }
      }
      return true;
    }),
  );
  return { ok, error };
}

/** `enactJobFinished`: adds Complete / Failed once nothing is uncounted or terminating. */
function enactJobFinished(deps: JobDeps, ctx: SyncJobCtx): boolean {
  const cond = ctx.finishedCondition;
  if (!cond) return false;
  const u = ctx.job.status?.uncountedTerminatedPods;
  if ((u?.succeeded?.length ?? 0) + (u?.failed?.length ?? 0) > 0) return false;
  if (ctx.terminating > 0) return false;
  const status = (ctx.job.status ??= {});
  status.conditions = ensureJobConditionStatus(
    status.conditions,
    cond.type,
    cond.status as 'True',
    cond.reason ?? '',
    cond.message ?? '',
    deps.clock.now(),
  ).conditions;
  if (cond.type === 'Complete')
    status.completionTime = findJobCondition(status.conditions, 'Complete')?.lastTransitionTime;
  return true;
}

/** `recordJobFinished`: the Completed or failure event. */
function recordJobFinished(deps: JobDeps, job: Readonly<Job>, cond: JobCondition): void {
  if (cond.type === 'Complete') {
    const completions = job.spec?.completions;
    if (
      completions !== undefined &&
      completions !== null &&
      (job.status?.succeeded ?? 0) > completions
    ) {
      void deps.recorder.event(
        job,
        'Warning',
        'TooManySucceededPods',
        'Too many succeeded pods running after completion count reached',
      );
    }
    void deps.recorder.event(job, 'Normal', 'Completed', 'Job completed');
  } else {
    void deps.recorder.event(job, 'Warning', cond.reason ?? '', cond.message ?? '');
  }
}

/** `trackJobStatusAndRemoveFinalizers`; see the module comment. */
export async function trackJobStatusAndRemoveFinalizers(
  deps: JobDeps,
  jobKey: string,
  ctx: SyncJobCtx,
  needsFlushIn: boolean,
): Promise<void> {
  let needsFlush = needsFlushIn;
  const job = ctx.job;
  const status = (job.status ??= {});
  const indexed = isIndexedJob(job);
  const completions = job.spec?.completions ?? 0;
  if (indexed) ctx.pods = [...ctx.pods].sort(byCompletionIndex);
  const withFinalizer = new Set<string>();
  for (const p of ctx.pods) {
    const uid = p.metadata?.uid ?? '';
    if (hasJobTrackingFinalizer(p) && !ctx.expectedRmFinalizers.has(uid)) withFinalizer.add(uid);
  }
  if (cleanUncounted(status, withFinalizer)) needsFlush = true;
  const uncounted = (status.uncountedTerminatedPods ??= {});
  const toRemove: Readonly<Pod>[] = [];
  const newSucceededIndexes: number[] = [];
  let reachedMax = false;
  for (const pod of ctx.pods) {
    const uid = pod.metadata?.uid ?? '';
    if (!hasJobTrackingFinalizer(pod) || ctx.expectedRmFinalizers.has(uid)) continue;
    const failed = isPodFailed(pod, job);
    if (!canRemoveFinalizer(ctx, pod, failed)) continue;
    toRemove.push(pod);
    if (pod.status?.phase === 'Succeeded' && !ctx.uncounted.failed.has(uid)) {
      if (indexed) {
        const ix = completionIndexOf(pod);
        if (
          ix !== unknownCompletionIndex &&
          ix < completions &&
          !hasIndex(ctx.prevSucceededIndexes, ix)
        ) {
          newSucceededIndexes.push(ix);
          needsFlush = true;
        }
      } else if (!ctx.uncounted.succeeded.has(uid)) {
        needsFlush = true;
        (uncounted.succeeded ??= []).push(uid);
      }
    } else if (
      failed ||
      (ctx.finishedCondition && ctx.finishedCondition.type !== 'SuccessCriteriaMet')
    ) {
      const ix = completionIndexOf(pod);
      if (
        !ctx.uncounted.failed.has(uid) &&
        (!indexed || (ix !== unknownCompletionIndex && ix < completions))
      ) {
        if (matchPodFailurePolicy(job.spec?.podFailurePolicy, pod).countFailed) {
          needsFlush = true;
          (uncounted.failed ??= []).push(uid);
        }
      }
    }
    if (
      newSucceededIndexes.length +
        (uncounted.succeeded?.length ?? 0) +
        (uncounted.failed?.length ?? 0) >=
      maxUncountedPods
    ) {
      reachedMax = true;
      break;
    }
  }
  if (indexed) {
    ctx.succeededIndexes = withIndexes(
      ctx.succeededIndexes,
      newSucceededIndexes.sort((a, b) => a - b),
    );
    const text = formatIntervals(ctx.succeededIndexes);
    if (text !== (status.completedIndexes ?? '')) needsFlush = true;
    status.succeeded = totalIndexes(ctx.succeededIndexes);
    status.completedIndexes = text;
    const failedText = ctx.failedIndexes ? formatIntervals(ctx.failedIndexes) : undefined;
    if (failedText !== status.failedIndexes) {
      status.failedIndexes = failedText;
      needsFlush = true;
    }
  }
  if (ctx.finishedCondition?.type === 'FailureTarget') {
    status.conditions = [...(status.conditions ?? []), ctx.finishedCondition];
    needsFlush = true;
    ctx.finishedCondition = finalCondition('Failed', ctx.finishedCondition, deps.clock.now());
  }
  if (
    ctx.finishedCondition?.type === 'SuccessCriteriaMet' &&
    ctx.finishedCondition.status === 'True'
  ) {
    if (findJobCondition(status.conditions, 'SuccessCriteriaMet')?.status !== 'True') {
      status.conditions = [...(status.conditions ?? []), ctx.finishedCondition];
      needsFlush = true;
    }
    ctx.finishedCondition = finalCondition('Complete', ctx.finishedCondition, deps.clock.now());
  }
  needsFlush = await flushUncountedAndRemoveFinalizers(
    deps,
    jobKey,
    ctx,
    toRemove,
    withFinalizer,
    needsFlush,
  );
  const finished = !reachedMax && enactJobFinished(deps, ctx);
  if (finished) needsFlush = true;
  if (needsFlush) {
    await updateStatus(deps, ctx, 'removing uncounted pods from status');
    if (finished) recordJobFinished(deps, ctx.job, ctx.finishedCondition!);
  }
}

/**
 * `flushUncountedAndRemoveFinalizers`: writes the status (recording uncounted pods and interim
 * conditions), stores the backoff record, removes finalizers, counts the pods whose finalizer is
 * gone; writes again when some removals failed. Resolves with whether a write is still pending.
 */
async function flushUncountedAndRemoveFinalizers(
  deps: JobDeps,
  jobKey: string,
  ctx: SyncJobCtx,
  toRemove: readonly Readonly<Pod>[],
  withFinalizer: Set<string>,
  needsFlushIn: boolean,
): Promise<boolean> {
  let needsFlush = needsFlushIn;
  if (needsFlush) {
    await updateStatus(deps, ctx, 'adding uncounted pods to status');
    deps.backoff.update(ctx.newBackoffRecord);
    needsFlush = false;
  }
  let removeError: unknown;
  if (toRemove.length > 0) {
    const { ok, error } = await removeFinalizers(deps, jobKey, toRemove);
    removeError = error;
    toRemove.forEach((p, i) => ok[i] && withFinalizer.delete(p.metadata?.uid ?? ''));
  }
  if (cleanUncounted(ctx.job.status!, withFinalizer)) needsFlush = true;
  if (removeError !== undefined) {
    if (needsFlush) await updateStatus(deps, ctx, 'removing uncounted pods from status');
    throw removeError;
  }
  return needsFlush;
}
