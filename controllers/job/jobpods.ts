/**
 * A Job's pods (`job_controller.go`, `indexed_job_utils.go`): claiming them (adopted pods get the
 * tracking finalizer), which finished pods are not counted yet, and the succeeded and failed
 * indexes of Indexed Jobs.
 */
import {
  Job as JobKind,
  labelSelectorFromObject,
  Pod as PodKind,
  type Job,
  type Pod,
} from '../../framework/index.js';
import { claimChildren, errorMessage, ownedAndOrphans } from '../util/index.js';
import { finishedTime } from './backoff.js';
import type { JobDeps, SyncJobCtx } from './context.js';
import {
  jobIndexFailureCountAnnotation,
  jobIndexIgnoredFailureCountAnnotation,
  jobTrackingFinalizer,
} from './defaults.js';
import {
  completionIndexOf,
  hasIndex,
  indexesOf,
  parseIndexes,
  unknownCompletionIndex,
  withIndexes,
  type OrderedIntervals,
} from './indexes.js';
import { matchPodFailurePolicy } from './policies.js';
import { hasJobTrackingFinalizer, isIndexedJob, isPodFailed } from './utils.js';

type P = Readonly<Pod>;

/** `getPodsForJob`: claimed pods; adopted ones count as carrying the tracking finalizer. */
export async function podsForJob(deps: JobDeps, job: Job): Promise<P[]> {
  let selector;
  try {
    selector = labelSelectorFromObject(job.spec?.selector);
  } catch (err) {
    throw new Error(`couldn't convert Job selector: ${errorMessage(err)}`);
  }
  const ns = job.metadata?.namespace ?? '';
  const candidates = ownedAndOrphans(deps.podInformer, ns, job.metadata?.uid ?? '').filter(
    (p) => p.metadata?.namespace === ns,
  );
  const pods = await claimChildren(candidates, {
    client: deps.client,
    api: deps.api,
    owner: job,
    ownerKind: JobKind,
    childKind: PodKind,
    selector,
    finalizers: [jobTrackingFinalizer],
  });
  return pods.map((p) => {
    const adopted = !p.metadata?.ownerReferences?.some((r) => r.uid === job.metadata?.uid);
    if (!adopted || hasJobTrackingFinalizer(p)) return p;
    const copy = structuredClone(p) as Pod;
    copy.metadata!.finalizers = [...(copy.metadata!.finalizers ?? []), jobTrackingFinalizer];
    return copy;
  });
}

/** Pods with the finalizer, not counted yet and (Indexed) with a valid index, passing `filter`. */
export function validPods(
  ctx: SyncJobCtx,
  uncounted: Set<string> | undefined,
  filter: (p: P) => boolean,
): P[] {
  const completions = ctx.job.spec?.completions ?? 0;
  return ctx.pods.filter((p) => {
    const uid = p.metadata?.uid ?? '';
    if (!hasJobTrackingFinalizer(p) || uncounted?.has(uid) || ctx.expectedRmFinalizers.has(uid))
      return false;
    if (isIndexedJob(ctx.job)) {
      const ix = completionIndexOf(p);
      if (ix === unknownCompletionIndex || ix >= completions) return false;
    }
    return filter(p);
  });
}

/** `calculateSucceededIndexes`: the recorded ones, and with this sync's new successes. */
export function succeededIndexes(
  job: Readonly<Job>,
  pods: readonly P[],
): [OrderedIntervals, OrderedIntervals] {
  const completions = job.spec?.completions ?? 0;
  const prev = parseIndexes(job.status?.completedIndexes, completions);
  const fresh = pods.filter((p) => {
    const ix = completionIndexOf(p);
    return (
      p.status?.phase === 'Succeeded' &&
      ix !== unknownCompletionIndex &&
      ix < completions &&
      hasJobTrackingFinalizer(p)
    );
  });
  return [prev, withIndexes(prev, indexesOf(fresh))];
}

function indexFailureCount(pod: P, key: string): number {
  const v = pod.metadata?.annotations?.[key];
  return v !== undefined && /^\d+$/.test(v) && Number(v) <= 2147483647 ? Number(v) : 0;
}

/** `calculateFailedIndexes` with `isIndexFailed`. */
export function failedIndexes(job: Readonly<Job>, pods: readonly P[]): OrderedIntervals {
  const completions = job.spec?.completions ?? 0;
  const prev = parseIndexes(job.status?.failedIndexes ?? undefined, completions);
  const limit = job.spec?.backoffLimitPerIndex ?? 0;
  const failed = pods.filter((p) => {
    const ix = completionIndexOf(p);
    if (
      ix === unknownCompletionIndex ||
      ix >= completions ||
      !hasJobTrackingFinalizer(p) ||
      !isPodFailed(p, job)
    )
      return false;
    const m = matchPodFailurePolicy(job.spec?.podFailurePolicy, p);
    if (m.action === 'FailIndex') return true;
    return m.countFailed && indexFailureCount(p, jobIndexFailureCountAnnotation) >= limit;
  });
  return withIndexes(prev, indexesOf(failed));
}

/** `getPodsWithDelayedDeletionPerIndex`: per index, the last failed pod a replacement inherits from. */
export function podsWithDelayedDeletion(ctx: SyncJobCtx): Map<number, P> {
  const active = new Set(indexesOf(ctx.activePods));
  const result = new Map<number, P>();
  const absolute = (p: P) =>
    indexFailureCount(p, jobIndexFailureCountAnnotation) +
    indexFailureCount(p, jobIndexIgnoredFailureCountAnnotation);
  for (const p of validPods(ctx, undefined, (x) => isPodFailed(x, ctx.job))) {
    const ix = completionIndexOf(p);
    if (hasIndex(ctx.succeededIndexes, ix) || hasIndex(ctx.failedIndexes, ix) || active.has(ix))
      continue;
    const last = result.get(ix);
    if (!last || (absolute(last) <= absolute(p) && finishedTime(p) >= finishedTime(last)))
      result.set(ix, p);
  }
  return result;
}
