/**
 * Completion indexes of Indexed Jobs (`indexed_job_utils.go`): ordered intervals and their
 * compressed text form (`"1,3-5,7"`; two adjacent indexes print as `"4,5"`), which indexes are
 * pending, and which duplicate pods to remove.
 */
import type { Pod } from '../../framework/index.js';
import { compareActivePods, isPodTerminating } from '../util/index.js';
import { jobCompletionIndexAnnotation } from './defaults.js';

export interface Interval {
  first: number;
  last: number;
}

/** Sorted, non-overlapping, non-adjacent intervals. */
export type OrderedIntervals = Interval[];

/** An index that is not known (no annotation, not a number, negative). */
export const unknownCompletionIndex = -1;

/** `getCompletionIndex`. */
export function completionIndexOf(pod: Readonly<Pod>): number {
  const v = pod.metadata?.annotations?.[jobCompletionIndexAnnotation];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return unknownCompletionIndex;
  const i = Number(v);
  return i < 0 ? unknownCompletionIndex : i;
}

/** `merge`: the union of two ordered interval lists. */
export function mergeIntervals(a: OrderedIntervals, b: OrderedIntervals): OrderedIntervals {
  const result: OrderedIntervals = [];
  const push = (iv: Interval): void => {
    const last = result.at(-1);
    if (!last || iv.first > last.last + 1) result.push({ ...iv });
    else if (last.last < iv.last) last.last = iv.last;
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i]!.first < b[j]!.first) push(a[i++]!);
    else push(b[j++]!);
  }
  while (i < a.length) push(a[i++]!);
  while (j < b.length) push(b[j++]!);
  return result;
}

/** `withOrderedIndexes`: adds indexes given in increasing order. */
export function withIndexes(oi: OrderedIntervals, indexes: readonly number[]): OrderedIntervals {
  return mergeIntervals(
    oi,
    indexes.map((i) => ({ first: i, last: i })),
  );
}

/** `total`: how many indexes the intervals hold. */
export function totalIndexes(oi: OrderedIntervals | undefined): number {
  let n = 0;
  for (const iv of oi ?? []) n += iv.last - iv.first + 1;
  return n;
}

/** `String`: `0-2,4,6,7`. */
export function formatIntervals(oi: OrderedIntervals | undefined): string {
  return (oi ?? [])
    .map((v) =>
      v.last === v.first
        ? `${v.first}`
        : v.last === v.first + 1
          ? `${v.first},${v.last}`
          : `${v.first}-${v.last}`,
    )
    .join(',');
}

/** `has`: binary search. */
export function hasIndex(oi: OrderedIntervals | undefined, ix: number): boolean {
  if (!oi) return false;
  let lo = 0;
  let hi = oi.length;
  while (hi > lo) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (oi[mid]!.last >= ix) hi = mid;
    else lo = mid + 1;
  }
  return hi < oi.length && oi[hi]!.first <= ix;
}

/**
 * `parseIndexesFromString`: reads `"1,3-5"`, dropping corrupted intervals and everything from
 * `completions` up.
 */
export function parseIndexes(text: string | undefined, completions: number): OrderedIntervals {
  if (!text) return [];
  const result: OrderedIntervals = [];
  for (const part of text.split(',')) {
    const limits = part.split('-');
    if (!/^\d+$/.test(limits[0]!)) continue;
    const iv = { first: Number(limits[0]), last: Number(limits[0]) };
    if (iv.first >= completions) break;
    if (limits.length > 1) {
      if (!/^\d+$/.test(limits[1]!)) continue;
      iv.last = Math.min(Number(limits[1]), completions - 1);
    }
    const last = result.at(-1);
    if (last && last.last === iv.first - 1) last.last = iv.last;
    else result.push(iv);
  }
  return result;
}

/** The indexes pods carry (unknown ones skipped), sorted. */
export function indexesOf(pods: readonly Readonly<Pod>[]): number[] {
  const set = new Set<number>();
  for (const p of pods) {
    const ix = completionIndexOf(p);
    if (ix !== unknownCompletionIndex) set.add(ix);
  }
  return [...set].sort((a, b) => a - b);
}

export interface PendingIndexesInput {
  activePods: readonly Readonly<Pod>[];
  pods: readonly Readonly<Pod>[];
  succeededIndexes: OrderedIntervals;
  failedIndexes?: OrderedIntervals;
  /** With podReplacementPolicy Failed, indexes of terminating pods are not pending either. */
  onlyReplaceFailedPods: boolean;
}

/** `firstPendingIndexes`: the `count` lowest indexes below `completions` nobody covers. */
export function firstPendingIndexes(
  input: PendingIndexesInput,
  count: number,
  completions: number,
): number[] {
  if (count === 0) return [];
  let nonPending = withIndexes(input.succeededIndexes, indexesOf(input.activePods));
  if (input.onlyReplaceFailedPods)
    nonPending = withIndexes(nonPending, indexesOf(input.pods.filter(isPodTerminating)));
  if (input.failedIndexes) nonPending = mergeIntervals(nonPending, input.failedIndexes);
  const result: number[] = [];
  let candidate = 0;
  for (const iv of nonPending) {
    for (; candidate < completions && result.length < count && candidate < iv.first; candidate++)
      result.push(candidate);
    if (candidate < iv.last + 1) candidate = iv.last + 1;
  }
  for (; candidate < completions && result.length < count; candidate++) result.push(candidate);
  return result;
}

/** `byCompletionIndex`. */
export function byCompletionIndex(a: Readonly<Pod>, b: Readonly<Pod>): number {
  return completionIndexOf(a) - completionIndexOf(b);
}

/**
 * `appendDuplicatedIndexPodsForRemoval`: pods without an index or with one out of range, and all
 * but the best pod (the last in deletion order) of each repeated index, go to `rm`.
 */
export function duplicatedIndexPodsForRemoval<P extends Readonly<Pod>>(
  pods: readonly P[],
  completions: number,
): { rm: P[]; left: P[] } {
  const sorted = [...pods].sort(byCompletionIndex);
  const rm: P[] = [];
  const left: P[] = [];
  let i = 0;
  while (i < sorted.length) {
    const ix = completionIndexOf(sorted[i]!);
    if (ix >= completions) {
      rm.push(...sorted.slice(i));
      break;
    }
    let j = i;
    while (j < sorted.length && completionIndexOf(sorted[j]!) === ix) j++;
    const group = sorted.slice(i, j);
    if (ix === unknownCompletionIndex) rm.push(...group);
    else if (group.length === 1) left.push(group[0]!);
    else {
      group.sort(compareActivePods);
      rm.push(...group.slice(0, -1));
      left.push(group.at(-1)!);
    }
    i = j;
  }
  return { rm, left };
}

/** `podGenerateNameWithIndex`: `<job>-<index>-`, the job name cut to fit 58 characters. */
export function podGenerateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  return prefix.length > 58 ? jobName.slice(0, 58 - suffix.length) + suffix : prefix;
}
