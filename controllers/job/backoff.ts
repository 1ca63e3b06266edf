/**
 * Pod re-creation backoff (`backoff_utils.go`): a Job remembers the failures since its last
 * success and when the last one happened; the next pod waits
 * `10 s × 2^(failures − 1)` (capped at 10 min) from that failure. The record lives in memory only,
 * as upstream (a restarted controller starts counting again from the pods it sees).
 */
import type { Pod } from '../../framework/index.js';
import { timeMs } from '../util/index.js';

export interface BackoffRecord {
  key: string;
  failuresAfterLastSuccess: number;
  /** Milliseconds since the epoch. */
  lastFailureTime?: number;
}

/**
 * `getFinishedTime`: the latest container finish time when every container finished, else the
 * time Ready turned False, else `deletionTimestamp - grace`, else the creation time.
 */
export function finishedTime(pod: Readonly<Pod>): number {
  const statuses = pod.status?.containerStatuses ?? [];
  let latest: number | undefined;
  let all = statuses.length > 0;
  for (const s of statuses) {
    const t = timeMs(s.state?.terminated?.finishedAt);
    if (t === undefined) {
      all = false;
      break;
    }
    if (latest === undefined || t > latest) latest = t;
  }
  if (all && latest !== undefined) return latest;
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const readyFalse = ready?.status === 'False' ? timeMs(ready.lastTransitionTime) : undefined;
  if (readyFalse !== undefined) return readyFalse;
  const deletion = timeMs(pod.metadata?.deletionTimestamp);
  if (deletion !== undefined)
    return deletion - (pod.metadata?.deletionGracePeriodSeconds ?? 0) * 1000;
  return timeMs(pod.metadata?.creationTimestamp) ?? 0;
}

/** `getRemainingTimeForFailuresCount`. */
export function remainingBackoffMs(
  failures: number,
  lastFailureTime: number | undefined,
  nowMs: number,
  baseMs: number,
  maxMs: number,
): number {
  if (failures === 0 || lastFailureTime === undefined) return 0;
  let backoff = baseMs;
  for (let i = 1; i < failures; i++) {
    backoff *= 2;
    if (backoff >= maxMs) {
      backoff = maxMs;
      break;
    }
  }
  const elapsed = nowMs - lastFailureTime;
  return backoff < elapsed ? 0 : backoff - elapsed;
}

export class BackoffStore {
  private readonly records = new Map<string, BackoffRecord>();

  /** `newBackoffRecord`: the record after this sync's newly finished pods (not stored yet). */
  next(
    key: string,
    newSucceeded: readonly Readonly<Pod>[],
    newFailed: readonly Readonly<Pod>[],
  ): BackoffRecord {
    const old = this.records.get(key);
    const record: BackoffRecord = old ? { ...old } : { key, failuresAfterLastSuccess: 0 };
    const succeeded = newSucceeded.map(finishedTime).sort((a, b) => a - b);
    const failed = newFailed.map(finishedTime).sort((a, b) => a - b);
    if (succeeded.length === 0) {
      if (failed.length === 0) return record;
      record.failuresAfterLastSuccess += failed.length;
      record.lastFailureTime = failed.at(-1);
      return record;
    }
    record.failuresAfterLastSuccess = 0;
    record.lastFailureTime = undefined;
    const lastSuccess = succeeded.at(-1)!;
    for (let i = failed.length - 1; i >= 0; i--) {
      if (failed[i]! <= lastSuccess) break;
      record.lastFailureTime ??= failed[i];
      record.failuresAfterLastSuccess++;
    }
    return record;
  }

  update(record: BackoffRecord): void {
    this.records.set(record.key, { ...record });
  }

  remove(key: string): void {
    this.records.delete(key);
  }
}
