/**
 * `manageJob` and pod deletion (`job_controller.go`): how many pods a Job wants active, deleting
 * the surplus (or all of them while suspended) and creating the missing ones in slow-start batches,
 * after the pod failure backoff, with the tracking finalizer and, for Indexed Jobs, the index.
 */
import {
  isNotFound,
  Job as JobKind,
  type Job,
  type OwnerReference,
  type Pod,
} from '../../framework/index.js';
import {
  compareActivePods,
  errorMessage,
  isNamespaceTerminating,
  isPodReady,
  newControllerRef,
  slowStartInitialBatchSize,
  type PodTemplateSpec,
} from '../util/index.js';
import { remainingBackoffMs, finishedTime } from './backoff.js';
import type { JobDeps, SyncJobCtx } from './context.js';
import {
  completionIndexEnvName,
  defaultJobPodFailureBackOffMs,
  jobCompletionIndexAnnotation,
  jobIndexFailureCountAnnotation,
  jobIndexIgnoredFailureCountAnnotation,
  jobTrackingFinalizer,
  maxJobPodFailureBackOffMs,
  maxPodCreateDeletePerSync,
} from './defaults.js';
import {
  duplicatedIndexPodsForRemoval,
  firstPendingIndexes,
  podGenerateNameWithIndex,
} from './indexes.js';
import { matchPodFailurePolicy } from './policies.js';
import {
  hasBackoffLimitPerIndex,
  isIndexedJob,
  jobSuspended,
  onlyReplaceFailedPods,
  removeTrackingFinalizerPatch,
} from './utils.js';

/** `activePodsForRemoval`: duplicate or invalid indexes first, then the most deletable. */
export function activePodsForRemoval<P extends Readonly<Pod>>(
  job: Readonly<Job>,
  pods: readonly P[],
  rmAtLeast: number,
): P[] {
  let rm: P[] = [];
  let left: P[] = [...pods];
  if (isIndexedJob(job))
    ({ rm, left } = duplicatedIndexPodsForRemoval(pods, job.spec?.completions ?? 0));
  if (rm.length < rmAtLeast) {
    left.sort(compareActivePods);
    rm = [...rm, ...left.slice(0, rmAtLeast - rm.length)];
  }
  return rm;
}

type Deleted = { deletedReady: number; deleted: number; error?: unknown };

/**
 * Deletes `pods` concurrently and counts the ready and the deleted ones (a pod already gone counts
 * as deleted). With `jobKey` (`deleteJobPods`), the tracking finalizer goes first and a failure
 * lowers the Job's deletion expectations; without (`deleteActivePods`, the Job is finishing), the
 * finalizers stay.
 */
export async function deletePods(
  deps: JobDeps,
  job: Readonly<Job>,
  pods: readonly Readonly<Pod>[],
  jobKey?: string,
): Promise<Deleted> {
  let deleted = pods.length;
  let deletedReady = 0;
  let error: unknown;
  const fail = (err: unknown, cause: unknown = err): void => {
    if (jobKey !== undefined) deps.expectations.deletionObserved(jobKey);
    if (isNotFound(cause)) return;
    deleted--;
    error ??= err;
  };
  await Promise.all(
    pods.map(async (pod) => {
      const patch = jobKey === undefined ? undefined : removeTrackingFinalizerPatch(pod);
      try {
        if (patch)
          await deps.podControl.patchPod(pod.metadata!.namespace!, pod.metadata!.name!, patch);
      } catch (err) {
        return fail(
          new Error(`removing completion finalizer: ${errorMessage(err)}`, { cause: err }),
          err,
        );
      }
      try {
        await deps.podControl.deletePod(job.metadata!.namespace!, pod.metadata!.name!, job);
      } catch (err) {
        fail(err);
      }
      if (isPodReady(pod)) deletedReady++;
    }),
  );
  return { deletedReady, deleted, error };
}

/** Adds `JOB_COMPLETION_INDEX` from the index label (downward API) to every container. */
function addCompletionIndexEnv(template: PodTemplateSpec): void {
  const spec = template.spec;
  if (!spec) return;
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    if (c.env?.some((e) => e.name === completionIndexEnvName)) continue;
    (c.env ??= []).push({
      name: completionIndexEnvName,
      valueFrom: { fieldRef: { fieldPath: `metadata.labels['${jobCompletionIndexAnnotation}']` } },
    });
  }
}

/** `getNewIndexFailureCounts`: the failure counts a replacement of `replaced` inherits. */
function newIndexFailureCounts(
  job: Readonly<Job>,
  replaced: Readonly<Pod> | undefined,
): [number, number] {
  if (!replaced) return [0, 0];
  const read = (k: string) => {
    const v = replaced.metadata?.annotations?.[k];
    return v !== undefined && /^\d+$/.test(v) && Number(v) <= 2147483647 ? Number(v) : 0;
  };
  let failures = read(jobIndexFailureCountAnnotation);
  let ignored = read(jobIndexIgnoredFailureCountAnnotation);
  if (matchPodFailurePolicy(job.spec?.podFailurePolicy, replaced).countFailed) failures++;
  else ignored++;
  return [failures, ignored];
}

/**
 * `manageJob`: resolves with the number of active pods after this sync's creations and deletions
 * (and an error from them, if any).
 */
export async function manageJob(
  deps: JobDeps,
  jobKey: string,
  ctx: SyncJobCtx,
): Promise<{ active: number; error?: unknown }> {
  const { job } = ctx;
  const active = ctx.activePods.length;
  const parallelism = job.spec?.parallelism ?? 1;
  if (jobSuspended(job)) {
    const toDelete = activePodsForRemoval(job, ctx.activePods, active);
    deps.expectations.expectDeletions(jobKey, toDelete.length);
    const r = await deletePods(deps, job, toDelete, jobKey);
    ctx.terminating += r.deleted;
    ctx.ready -= r.deletedReady;
    return { active: active - r.deleted, error: r.error };
  }
  let wantActive: number;
  const completions = job.spec?.completions;
  if (completions === undefined || completions === null)
    wantActive = ctx.succeeded > 0 ? active : parallelism;
  else wantActive = Math.max(0, Math.min(completions - ctx.succeeded, parallelism));
  const rmAtLeast = Math.max(0, active - wantActive);
  const toDelete = activePodsForRemoval(job, ctx.activePods, rmAtLeast).slice(
    0,
    maxPodCreateDeletePerSync,
  );
  if (toDelete.length > 0) {
    deps.expectations.expectDeletions(jobKey, toDelete.length);
    const r = await deletePods(deps, job, toDelete, jobKey);
    ctx.terminating += r.deleted;
    ctx.ready -= r.deletedReady;
    return { active: active - r.deleted, error: r.error };
  }
  const terminating = onlyReplaceFailedPods(job) ? ctx.terminating : 0;
  let diff = wantActive - terminating - active;
  if (diff <= 0) return { active };
  const now = deps.clock.now();
  if (!hasBackoffLimitPerIndex(job)) {
    const r = ctx.newBackoffRecord;
    const remaining = remainingBackoffMs(
      r.failuresAfterLastSuccess,
      r.lastFailureTime,
      now,
      defaultJobPodFailureBackOffMs,
      maxJobPodFailureBackOffMs,
    );
    if (remaining > 0) {
      deps.enqueueAfter(job, remaining);
      return { active };
    }
  }
  diff = Math.min(diff, maxPodCreateDeletePerSync);
  let indexes: number[] = [];
  if (isIndexedJob(job)) {
    indexes = firstPendingIndexes(
      {
        activePods: ctx.activePods,
        pods: ctx.pods,
        succeededIndexes: ctx.succeededIndexes,
        failedIndexes: ctx.failedIndexes,
        onlyReplaceFailedPods: onlyReplaceFailedPods(job),
      },
      diff,
      completions ?? 0,
    );
    if (hasBackoffLimitPerIndex(job)) {
      const ready = indexes.filter((ix) => remainingForIndex(ctx, ix, now) === 0);
      if (ready.length === 0 && indexes.length > 0) {
        deps.enqueueAfter(job, Math.min(...indexes.map((ix) => remainingForIndex(ctx, ix, now))));
        return { active };
      }
      indexes = ready;
    }
    diff = indexes.length;
  }
  return createPods(deps, jobKey, ctx, diff, indexes, active);
}

function remainingForIndex(ctx: SyncJobCtx, ix: number, now: number): number {
  const last = ctx.podsWithDelayedDeletionPerIndex?.get(ix);
  if (!last) return 0;
  const read = (k: string) => Number(last.metadata?.annotations?.[k] ?? 0) || 0;
  const failures =
    read(jobIndexFailureCountAnnotation) + read(jobIndexIgnoredFailureCountAnnotation) + 1;
  return remainingBackoffMs(
    failures,
    finishedTime(last),
    now,
    defaultJobPodFailureBackOffMs,
    maxJobPodFailureBackOffMs,
  );
}

async function createPods(
  deps: JobDeps,
  jobKey: string,
  ctx: SyncJobCtx,
  count: number,
  indexes: number[],
  activeBefore: number,
): Promise<{ active: number; error?: unknown }> {
  const { job } = ctx;
  deps.expectations.expectCreations(jobKey, count);
  let active = activeBefore + count;
  const base = structuredClone(job.spec?.template ?? {}) as PodTemplateSpec;
  if (isIndexedJob(job)) addCompletionIndexEnv(base);
  const meta = (base.metadata ??= {});
  if (!(meta.finalizers ?? []).includes(jobTrackingFinalizer))
    meta.finalizers = [...(meta.finalizers ?? []), jobTrackingFinalizer];
  const ref = newControllerRef(job, JobKind) as OwnerReference;
  let error: unknown;
  let remaining = count;
  for (
    let size = Math.min(count, slowStartInitialBatchSize);
    remaining > 0;
    size = Math.min(2 * size, remaining)
  ) {
    const batch = indexes.splice(0, size);
    let failed = false;
    await Promise.all(
      Array.from({ length: size }, async (_, i) => {
        const ix = batch[i];
        let template = base;
        let generateName: string | undefined;
        if (ix !== undefined) {
          template = structuredClone(base);
          const m = template.metadata!;
          m.annotations = { ...(m.annotations ?? {}), [jobCompletionIndexAnnotation]: String(ix) };
          m.labels = { ...(m.labels ?? {}), [jobCompletionIndexAnnotation]: String(ix) };
          template.spec!.hostname = `${job.metadata?.name}-${ix}`;
          generateName = podGenerateNameWithIndex(job.metadata?.name ?? '', ix);
          if (hasBackoffLimitPerIndex(job)) {
            const [failures, ignored] = newIndexFailureCounts(
              job,
              ctx.podsWithDelayedDeletionPerIndex?.get(ix),
            );
            m.annotations[jobIndexFailureCountAnnotation] = String(failures);
            if (ignored > 0) m.annotations[jobIndexIgnoredFailureCountAnnotation] = String(ignored);
          }
        }
        try {
          await deps.podControl.createPod(template, job, ref, generateName);
        } catch (err) {
          if (isNamespaceTerminating(err)) return;
          deps.expectations.creationObserved(jobKey);
          active--;
          failed = true;
          error ??= err;
        }
      }),
    );
    remaining -= size;
    if (failed && remaining > 0) {
      active -= remaining;
      for (let i = 0; i < remaining; i++) deps.expectations.creationObserved(jobKey);
      break;
    }
  }
  return { active, error };
}
